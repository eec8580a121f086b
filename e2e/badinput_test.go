package e2e

import (
	"strings"
	"testing"
)

func TestBadInputGetsErrorAndSocketStaysOpen(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	cases := []struct {
		frame string
		code  string
	}{
		{`{"type":"ping"`, "invalid_json"},
		{`not json at all`, "invalid_json"},
		{`[{"type":"ping"}]`, "invalid_message"},
		{`"ping"`, "invalid_message"},
		{`42`, "invalid_message"},
		{`null`, "invalid_message"},
		{`{"type":"shout"}`, "unknown_type"},
		{`{"type":42}`, "invalid_message"},
		{`{"documentId":"1"}`, "missing_field"},
		{`{"type":"presence.join"}`, "missing_field"},
		{`{"type":"presence.leave","documentId":""}`, "missing_field"},
		{`{"type":"subscribe"}`, "missing_field"},
		{`{"type":"subscribe","query":7}`, "invalid_message"},
		{`{"type":"subscribe","query":"*[_type == \"posts\"]","params":[1]}`, "invalid_message"},
		{`{"type":"unsubscribe"}`, "missing_field"},
	}
	for _, tc := range cases {
		s.sendText(tc.frame)
		m := s.expect("error", waitMessage)
		s.expectFields(m, map[string]any{"code": tc.code})
		if m.str("message") == "" {
			t.Errorf("answer to %s has no message: %s", tc.frame, m)
		}
		s.ping()
	}
}

func TestGROQSyntaxErrorHasPosition(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	query := `*[_type == "posts" && status == ]`
	s.send(map[string]any{"type": "subscribe", "query": query})
	m := s.expect("error", waitMessage)
	s.expectFields(m, map[string]any{"code": "bad_query"})
	pos, ok := m.fields["position"].(float64)
	if !ok || pos != float64(int(pos)) {
		t.Fatalf("error for %q has no integer position: %s", query, m)
	}
	// The query is well formed up to "==", so the error lies after it.
	if lo := strings.Index(query, "=="); int(pos) < lo || int(pos) > len(query) {
		t.Errorf("position %v for %q, want a byte offset in [%d, %d]", pos, query, lo, len(query))
	}
	s.ping()

	// The failed subscribe left nothing behind.
	s.send(map[string]any{"type": "unsubscribe", "query": query})
	s.expectFields(s.expect("error", waitMessage), map[string]any{"code": "not_subscribed"})
}

func TestFrameSizeLimit(t *testing.T) {
	e := newEnv(t)
	bystander, _ := e.connect("/ws", "bob", "Bob")
	s, _ := e.connect("/ws", "alice", "Alice")

	// A 64 KiB frame is within the limit (unknown fields are allowed).
	s.sendText(paddedPing(64 << 10))
	s.expect("pong", waitMessage)

	s.sendText(paddedPing(64<<10 + 1))
	s.expectClose(closeMessageTooBig, waitMessage)
	bystander.ping()
}

// paddedPing is a ping message of exactly n bytes.
func paddedPing(n int) string {
	const head, tail = `{"type":"ping","pad":"`, `"}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

func TestFloodClosesOnlyTheFlooder(t *testing.T) {
	e := newEnv(t)
	bystander, _ := e.connect("/ws", "bob", "Bob")
	s, _ := e.connect("/ws", "alice", "Alice")

	// Sent without waiting for answers; the server may hang up midway.
	for range 1000 {
		if s.trySendText(`{"type":"ping"}`) != nil {
			break
		}
	}
	pongs := 0
	for m := range s.msgs {
		if m.typ() != "pong" {
			t.Fatalf("flooder got %s, want only pongs before the close", m)
		}
		pongs++
	}
	if s.closeCode != closeRateLimited {
		t.Errorf("flooder closed with %d %q (%v) after %d pongs, want %d", s.closeCode, s.closeReason, s.readErr, pongs, closeRateLimited)
	}
	if pongs == 0 || pongs >= 1000 {
		t.Errorf("flooder got %d pongs for 1000 pings, want some before the limit", pongs)
	}
	bystander.ping()
}
