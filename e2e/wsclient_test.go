package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/wsclient"
)

// Timeouts of the WebSocket expectations. quiet is how long expectNothing
// listens: events are sent as the sidecar sees a response, so anything due
// arrives well within it on loopback.
const (
	waitMessage = 5 * time.Second
	quiet       = 400 * time.Millisecond
)

// message is one text frame from the server.
type message struct {
	raw    []byte
	fields map[string]any // nil when the frame is not a JSON object
}

func (m message) typ() string {
	s, _ := m.fields["type"].(string)
	return s
}

func (m message) str(key string) string {
	s, _ := m.fields[key].(string)
	return s
}

func (m message) String() string { return string(m.raw) }

// wsClient is a test WebSocket client: a goroutine reads every server frame
// into msgs (wsclient.Conn answers pings and close frames as RFC 6455
// requires), and the test consumes them in order with expect and
// expectNothing.
type wsClient struct {
	t        *testing.T
	name     string
	conn     *wsclient.Conn
	clientID string // from the welcome, once connect has read it

	msgs chan message // closed when the connection ends
	// Set before msgs is closed.
	closeCode   ws.StatusCode // 0 when the server sent no close frame
	closeReason string
	readErr     error

	lastSeq float64 // seq of the last event seen, to check monotony
}

// dialWS opens a WebSocket to url and fails the test if the upgrade fails.
// The connection is closed when the test ends.
func dialWS(t *testing.T, name, url string) *wsClient {
	t.Helper()
	c, err := dialWSWith(t, name, url, ws.Dialer{})
	if err != nil {
		t.Fatalf("%s: dial %s: %v", name, redactToken(url), err)
	}
	return c
}

// dialWSWith opens a WebSocket to url with dialer and returns the upgrade's
// error, if any.
func dialWSWith(t *testing.T, name, url string, dialer ws.Dialer) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitMessage)
	defer cancel()
	conn, err := wsclient.Dial(ctx, dialer, url)
	if err != nil {
		return nil, err
	}
	c := &wsClient{t: t, name: name, conn: conn, msgs: make(chan message, 1024)}
	go c.readLoop()
	t.Cleanup(func() { c.conn.Close() })
	return c, nil
}

func (c *wsClient) readLoop() {
	defer close(c.msgs)
	for {
		data, op, err := c.conn.Next()
		if err != nil {
			var closed *wsclient.CloseError
			if errors.As(err, &closed) {
				c.closeCode, c.closeReason = closed.Code, closed.Reason
			}
			c.readErr = err
			return
		}
		m := message{raw: bytes.Clone(data)}
		if op == ws.OpText {
			_ = json.Unmarshal(m.raw, &m.fields)
		}
		c.msgs <- m
	}
}

// sendText sends one masked text frame.
func (c *wsClient) sendText(s string) {
	c.t.Helper()
	if err := c.trySendText(s); err != nil {
		c.t.Fatalf("%s: send: %v", c.name, err)
	}
}

// trySendText sends one masked text frame and returns the write's error.
func (c *wsClient) trySendText(s string) error {
	return c.conn.Send([]byte(s))
}

// send sends v as JSON.
func (c *wsClient) send(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendText(string(b))
}

// close ends the connection the way a browser closing a tab does.
func (c *wsClient) close() {
	_ = c.conn.CloseNormally()
}

// next returns the next message, failing the test if there is none within
// timeout or the connection ended.
func (c *wsClient) next(want string, timeout time.Duration) message {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("%s: want %s, but the connection ended: %v (close code %d %q)", c.name, want, c.readErr, c.closeCode, c.closeReason)
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("%s: want %s, got nothing within %v", c.name, want, timeout)
	}
	panic("unreachable")
}

// expect returns the next message and fails the test unless its type is typ.
func (c *wsClient) expect(typ string, timeout time.Duration) message {
	c.t.Helper()
	m := c.next(typ, timeout)
	if m.typ() != typ {
		c.t.Fatalf("%s: want a %q message, got %s", c.name, typ, m)
	}
	return m
}

// expectNothing fails the test if any message arrives within d, or the
// connection ends.
func (c *wsClient) expectNothing(d time.Duration) {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("%s: want no message, but the connection ended: %v (close code %d)", c.name, c.readErr, c.closeCode)
		}
		c.t.Fatalf("%s: want no message, got %s", c.name, m)
	case <-time.After(d):
	}
}

// expectClose fails the test unless the server closes the connection with
// code within timeout, sending no message first.
func (c *wsClient) expectClose(code ws.StatusCode, timeout time.Duration) {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if ok {
			c.t.Fatalf("%s: want close %d, got message %s", c.name, code, m)
		}
		if c.closeCode != code {
			c.t.Fatalf("%s: want close code %d, got %d %q (%v)", c.name, code, c.closeCode, c.closeReason, c.readErr)
		}
	case <-time.After(timeout):
		c.t.Fatalf("%s: want close %d, connection still open after %v", c.name, code, timeout)
	}
}

// expectFields fails the test unless m has each of want's fields with its
// value (compared as JSON). Other fields are allowed, as in the protocol.
func (c *wsClient) expectFields(m message, want map[string]any) {
	c.t.Helper()
	for k, v := range want {
		got, ok := m.fields[k]
		if !ok {
			c.t.Errorf("%s: %s: field %q missing, want %v", c.name, m, k, v)
			continue
		}
		if !reflect.DeepEqual(got, jsonValue(c.t, v)) {
			c.t.Errorf("%s: %s: field %q = %#v, want %#v", c.name, m, k, got, v)
		}
	}
}

// jsonValue returns v as encoding/json decodes it into an interface.
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// tsLayout is the protocol's timestamp format: RFC 3339, UTC, milliseconds.
const tsLayout = "2006-01-02T15:04:05.000Z"

// expectEvent checks the fields every event carries besides its own: a ts
// in the protocol's format and close to now, a seq above the previous
// event's on this socket, and an epoch.
func (c *wsClient) expectEvent(m message) {
	c.t.Helper()
	ts, err := time.Parse(tsLayout, m.str("ts"))
	if err != nil {
		c.t.Errorf("%s: %s: ts is not RFC 3339 UTC with milliseconds: %v", c.name, m, err)
	} else if d := time.Since(ts); d < -time.Minute || d > time.Minute {
		c.t.Errorf("%s: %s: ts is %v away from now", c.name, m, d)
	}
	seq, ok := m.fields["seq"].(float64)
	if !ok {
		c.t.Errorf("%s: %s: seq missing or not a number", c.name, m)
	} else if seq <= c.lastSeq {
		c.t.Errorf("%s: %s: seq %v not above the previous event's %v", c.name, m, seq, c.lastSeq)
	} else {
		c.lastSeq = seq
	}
	if m.str("epoch") == "" {
		c.t.Errorf("%s: %s: epoch missing or empty", c.name, m)
	}
}

// expectMutation expects a mutation event with exactly these values.
func (c *wsClient) expectMutation(documentID, documentType, operation string) message {
	c.t.Helper()
	m := c.expect("mutation", waitMessage)
	c.expectFields(m, map[string]any{"documentId": documentID, "documentType": documentType, "operation": operation})
	c.expectEvent(m)
	return m
}

// expectDocumentUpdated expects a document.updated event.
func (c *wsClient) expectDocumentUpdated(documentID, operation string) message {
	c.t.Helper()
	m := c.expect("document.updated", waitMessage)
	c.expectFields(m, map[string]any{"documentId": documentID, "operation": operation})
	c.expectEvent(m)
	return m
}

// ping checks that the socket still answers.
func (c *wsClient) ping() {
	c.t.Helper()
	c.send(map[string]any{"type": "ping"})
	c.expect("pong", waitMessage)
}

// subscribe subscribes to query and expects the confirmation.
func (c *wsClient) subscribe(query string, params map[string]any) {
	c.t.Helper()
	msg := map[string]any{"type": "subscribe", "query": query}
	if params != nil {
		msg["params"] = params
	}
	c.send(msg)
	c.expectFields(c.expect("subscribed", waitMessage), map[string]any{"query": query})
}

// join and leave send presence messages.
func (c *wsClient) join(documentID string) {
	c.t.Helper()
	c.send(map[string]any{"type": "presence.join", "documentId": documentID})
}

func (c *wsClient) leave(documentID string) {
	c.t.Helper()
	c.send(map[string]any{"type": "presence.leave", "documentId": documentID})
}

// drop ends the TCP connection without a close frame, as a lost network does.
func (c *wsClient) drop() {
	_ = c.conn.Close()
}

// drain returns every message that arrives until none has for d.
func (c *wsClient) drain(d time.Duration) []message {
	var ms []message
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return ms
			}
			ms = append(ms, m)
		case <-time.After(d):
			return ms
		}
	}
}
