package cms

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/wsclient"
)

// wait bounds every expectation of a message; quiet is how long expectNothing listens.
const (
	wait  = 10 * time.Second
	quiet = 500 * time.Millisecond
)

// socket is a WebSocket client whose reader goroutine queues every JSON message.
type socket struct {
	t    *testing.T
	conn *wsclient.Conn
	msgs chan map[string]any // closed when the connection ends
}

// dial connects to url, expects the welcome and the presence snapshot, and closes the
// connection when the test ends.
func dial(t *testing.T, url string) *socket {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	conn, err := wsclient.Dial(ctx, ws.Dialer{}, url)
	if err != nil {
		t.Fatalf("dial the sidecar's WebSocket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &socket{t: t, conn: conn, msgs: make(chan map[string]any, 256)}
	go s.read()
	s.expect("welcome")
	s.expect("presence.snapshot")
	return s
}

func (s *socket) read() {
	defer close(s.msgs)
	for {
		data, op, err := s.conn.Next()
		if err != nil {
			return
		}
		var m map[string]any
		if op == ws.OpText && json.Unmarshal(data, &m) == nil {
			s.msgs <- m
		}
	}
}

func (s *socket) send(v any) {
	s.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.conn.Send(b); err != nil {
		s.t.Fatalf("send: %v", err)
	}
}

// expect returns the next message, failing the test unless it has type typ.
func (s *socket) expect(typ string) map[string]any {
	s.t.Helper()
	select {
	case m, ok := <-s.msgs:
		if !ok {
			s.t.Fatalf("want a %s message, the connection ended", typ)
		}
		if m["type"] != typ {
			s.t.Fatalf("want a %s message, got %v", typ, m)
		}
		return m
	case <-time.After(wait):
		s.t.Fatalf("want a %s message, got nothing within %v", typ, wait)
	}
	panic("unreachable")
}

func (s *socket) subscribe(query string) {
	s.t.Helper()
	s.send(map[string]any{"type": "subscribe", "query": query})
	s.expect("subscribed")
}

// expectMutation fails the test unless the next message is the mutation of document
// id of type typ by op.
func (s *socket) expectMutation(id, typ string, op string) {
	s.t.Helper()
	m := s.expect("mutation")
	if m["documentId"] != id || m["documentType"] != typ || m["operation"] != op {
		s.t.Fatalf("want mutation %s %s/%s, got %v", op, typ, id, m)
	}
}

// expectNothing fails the test if a message arrives within quiet.
func (s *socket) expectNothing() {
	s.t.Helper()
	select {
	case m, ok := <-s.msgs:
		if ok {
			s.t.Fatalf("want no message, got %v", m)
		}
		s.t.Fatal("want no message, the connection ended")
	case <-time.After(quiet):
	}
}
