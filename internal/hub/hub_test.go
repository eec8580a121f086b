package hub

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// decodeFrame strips a server frame's header and decodes its JSON payload.
func decodeFrame(t *testing.T, f []byte) map[string]any {
	t.Helper()
	if f[0] != 0x81 {
		t.Fatalf("frame is not a final text frame: %#x", f[0])
	}
	n, off := int(f[1]&0x7f), 2
	switch n {
	case 126:
		n, off = int(binary.BigEndian.Uint16(f[2:])), 4
	case 127:
		n, off = int(binary.BigEndian.Uint64(f[2:])), 10
	}
	if len(f)-off != n {
		t.Fatalf("frame length %d, header says %d", len(f)-off, n)
	}
	var m map[string]any
	if err := json.Unmarshal(f[off:], &m); err != nil {
		t.Fatalf("payload is not JSON: %v: %s", err, f[off:])
	}
	return m
}

// messages drains c and decodes every frame.
func messages(t *testing.T, c *Client) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, f := range c.Drain(nil) {
		out = append(out, decodeFrame(t, f))
	}
	return out
}

func types(msgs []map[string]any) []string {
	var ts []string
	for _, m := range msgs {
		ts = append(ts, fmt.Sprint(m["type"]))
	}
	return ts
}

func connect(t *testing.T, h *Hub, dataset, user string) *Client {
	t.Helper()
	c, err := h.Connect(ClientOptions{Dataset: dataset, User: protocol.User{UserID: user, UserName: "Name " + user}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	return c
}

func send(c *Client, msg string) { c.Handle([]byte(msg)) }

func TestConnectSendsWelcomeThenSnapshot(t *testing.T) {
	h := New(Config{})
	a := connect(t, h, "production", "alice")
	send(a, `{"type":"presence.join","documentId":"doc-1"}`)
	messages(t, a)

	b := connect(t, h, "production", "bob")
	msgs := messages(t, b)
	if got := types(msgs); len(got) != 2 || got[0] != "welcome" || got[1] != "presence.snapshot" {
		t.Fatalf("got %v, want [welcome presence.snapshot]", got)
	}
	if msgs[0]["userId"] != "bob" || msgs[0]["clientId"] == "" {
		t.Fatalf("welcome = %v", msgs[0])
	}
	docs := msgs[1]["documents"].([]any)
	want := `[{"documentId":"doc-1","users":[{"userId":"alice","userName":"Name alice"}]}]`
	if got, _ := json.Marshal(docs); string(got) != want {
		t.Fatalf("snapshot documents = %s, want %s", got, want)
	}
}

func TestPresenceIsPerUserAndDocument(t *testing.T) {
	h := New(Config{})
	alice1 := connect(t, h, "p", "alice")
	alice2 := connect(t, h, "p", "alice")
	bob := connect(t, h, "p", "bob")
	for _, c := range []*Client{alice1, alice2, bob} {
		messages(t, c)
	}

	send(alice1, `{"type":"presence.join","documentId":"d"}`)
	announced(t, h)
	if got := messages(t, alice1); len(got) != 0 {
		t.Fatalf("a socket got its own join: %v", got)
	}
	for _, c := range []*Client{alice2, bob} {
		got := messages(t, c)
		if len(got) != 1 || got[0]["type"] != "presence.join" || got[0]["userId"] != "alice" || got[0]["userName"] != "Name alice" || got[0]["documentId"] != "d" {
			t.Fatalf("join announcement = %v", got)
		}
	}

	send(alice2, `{"type":"presence.join","documentId":"d"}`) // second tab: not announced
	send(alice1, `{"type":"presence.join","documentId":"d"}`) // repeated join: not announced
	announced(t, h)
	if got := messages(t, bob); len(got) != 0 {
		t.Fatalf("second tab was announced: %v", got)
	}

	send(alice1, `{"type":"presence.leave","documentId":"d"}`) // alice still has a tab there
	announced(t, h)
	if got := messages(t, bob); len(got) != 0 {
		t.Fatalf("leave announced while another tab is present: %v", got)
	}
	alice2.Disconnect() // last tab closes: one leave
	announced(t, h)
	got := messages(t, bob)
	if len(got) != 1 || got[0]["type"] != "presence.leave" || got[0]["userId"] != "alice" || got[0]["documentId"] != "d" {
		t.Fatalf("leave on close = %v", got)
	}
	if s := h.Stats(); s.Present != 0 {
		t.Fatalf("presence left behind: %+v", s)
	}
}

func TestMutationGoesOncePerSocketToMatchingSubscriptions(t *testing.T) {
	h := New(Config{})
	sub := connect(t, h, "production", "alice")
	other := connect(t, h, "production", "bob")
	messages(t, sub)
	messages(t, other)
	send(sub, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	send(sub, `{"type":"subscribe","query":"*[_type == \"post\" && title == $t]","params":{"t":"Hello"}}`)
	send(other, `{"type":"subscribe","query":"*[_type == \"author\"]"}`)
	if got := types(messages(t, sub)); fmt.Sprint(got) != "[subscribed subscribed]" {
		t.Fatalf("replies = %v", got)
	}
	messages(t, other)

	ts := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	seq := h.Publish("production", Change{ID: "p1", Type: "post", Operation: "create",
		Doc: map[string]any{"_id": "p1", "_type": "post", "title": "Hello"}, TS: ts})
	got := messages(t, sub)
	if len(got) != 1 {
		t.Fatalf("got %d events, want exactly 1: %v", len(got), got)
	}
	ev := got[0]
	if ev["type"] != "mutation" || ev["documentId"] != "p1" || ev["documentType"] != "post" ||
		ev["operation"] != "create" || ev["ts"] != "2025-01-15T12:00:00.000Z" || ev["seq"] != float64(seq) || ev["epoch"] != h.Epoch() {
		t.Fatalf("event = %v", ev)
	}
	if got := messages(t, other); len(got) != 0 {
		t.Fatalf("non-matching subscription got %v", got)
	}
	if seq2 := h.Publish("production", Change{ID: "p2", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post"}}); seq2 != seq+1 {
		t.Fatalf("seq %d after %d", seq2, seq)
	}
}

func TestDocumentThatStopsMatchingGetsItsUpdateOnce(t *testing.T) {
	h := New(Config{})
	c := connect(t, h, "d", "u")
	send(c, `{"type":"subscribe","query":"*[_type == \"post\" && status == \"published\"]"}`)
	messages(t, c)
	h.Publish("d", Change{ID: "p", Type: "post", Operation: "unpublish",
		Doc:  map[string]any{"_type": "post", "status": "draft"},
		Prev: map[string]any{"_type": "post", "status": "published"}})
	if got := messages(t, c); len(got) != 1 || got[0]["operation"] != "unpublish" {
		t.Fatalf("got %v, want the unpublish event", got)
	}
	h.Publish("d", Change{ID: "p", Type: "post", Operation: "update",
		Doc:  map[string]any{"_type": "post", "status": "draft", "title": "x"},
		Prev: map[string]any{"_type": "post", "status": "draft"}})
	if got := messages(t, c); len(got) != 0 {
		t.Fatalf("a document that matched neither before nor after was sent: %v", got)
	}
}

func TestDocumentUpdatedGoesToPresentSockets(t *testing.T) {
	h := New(Config{})
	editor := connect(t, h, "d", "alice")
	bystander := connect(t, h, "d", "bob")
	send(editor, `{"type":"presence.join","documentId":"doc"}`)
	announced(t, h)
	messages(t, editor)
	messages(t, bystander)
	h.Publish("d", Change{ID: "doc", Type: "post", Operation: "delete", Doc: map[string]any{"_type": "post"}})
	got := messages(t, editor)
	if len(got) != 1 || got[0]["type"] != "document.updated" || got[0]["documentId"] != "doc" || got[0]["operation"] != "delete" {
		t.Fatalf("present socket got %v", got)
	}
	if got := messages(t, bystander); len(got) != 0 {
		t.Fatalf("socket not present got %v", got)
	}
}

func TestDatasetsAreIsolated(t *testing.T) {
	h := New(Config{})
	prod := connect(t, h, "production", "alice")
	staging := connect(t, h, "staging", "bob")
	send(prod, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	send(staging, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	messages(t, prod)
	messages(t, staging)
	send(staging, `{"type":"presence.join","documentId":"x"}`)
	h.Publish("staging", Change{ID: "x", Type: "post", Operation: "update", Doc: map[string]any{"_type": "post"}})
	if got := messages(t, prod); len(got) != 0 {
		t.Fatalf("production socket saw staging traffic: %v", got)
	}
	if got := types(messages(t, staging)); fmt.Sprint(got) != "[mutation document.updated]" {
		t.Fatalf("staging socket got %v", got)
	}
	send(staging, `{"type":"subscribe","query":"*[_type == \"post\"]","dataset":"production"}`)
	if got := messages(t, staging); len(got) != 1 || got[0]["code"] != protocol.CodeDatasetMismatch {
		t.Fatalf("subscribe to another dataset = %v", got)
	}
}

func TestBadInputIsAnsweredAndTheClientLives(t *testing.T) {
	h := New(Config{})
	c := connect(t, h, "d", "u")
	messages(t, c)
	cases := []struct{ in, code string }{
		{`{nope`, protocol.CodeInvalidJSON},
		{`[1,2]`, protocol.CodeInvalidMessage},
		{`"hello"`, protocol.CodeInvalidMessage},
		{`{"type":"dance"}`, protocol.CodeUnknownType},
		{`{"documentId":"x"}`, protocol.CodeMissingField},
		{`{"type":"presence.join"}`, protocol.CodeMissingField},
		{`{"type":"presence.join","documentId":7}`, protocol.CodeInvalidMessage},
		{`{"type":"subscribe"}`, protocol.CodeMissingField},
		{`{"type":"subscribe","query":"*[_type == ]"}`, protocol.CodeBadQuery},
		{`{"type":"subscribe","query":"*[x]","params":[1]}`, protocol.CodeInvalidMessage},
		{`{"type":"unsubscribe","query":"*[never]"}`, protocol.CodeNotSubscribed},
	}
	for _, tc := range cases {
		send(c, tc.in)
		got := messages(t, c)
		if len(got) != 1 || got[0]["type"] != "error" || got[0]["code"] != tc.code || got[0]["message"] == "" {
			t.Errorf("%s → %v, want error %s", tc.in, got, tc.code)
		}
	}
	send(c, `{"type":"subscribe","query":"*[_type == ]"}`)
	if got := messages(t, c); len(got) != 1 || got[0]["position"] == nil {
		t.Errorf("bad_query without position: %v", got)
	}
	send(c, `{"type":"ping"}`)
	if got := types(messages(t, c)); fmt.Sprint(got) != "[pong]" {
		t.Fatalf("after bad input, ping → %v", got)
	}
	select {
	case <-c.Done():
		t.Fatal("bad input closed the client")
	default:
	}
}

func TestSlowConsumerIsClosedAndOthersKeepReceiving(t *testing.T) {
	h := New(Config{Limits: Limits{QueueMessages: 8}})
	slow := connect(t, h, "d", "slow")
	fast := connect(t, h, "d", "fast")
	for _, c := range []*Client{slow, fast} {
		send(c, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	}
	messages(t, fast)
	for i := 0; i < 20; i++ {
		h.Publish("d", Change{ID: fmt.Sprint(i), Type: "post", Operation: "update", Doc: map[string]any{"_type": "post"}})
		if got := messages(t, fast); len(got) != 1 {
			t.Fatalf("event %d: fast socket got %d messages", i, len(got))
		}
	}
	select {
	case <-slow.Done():
	default:
		t.Fatal("slow consumer was not closed")
	}
	if code, _ := slow.CloseCode(); code != CloseSlowConsumer {
		t.Fatalf("close code %d, want %d", code, CloseSlowConsumer)
	}
}

func TestFloodIsRateLimited(t *testing.T) {
	h := New(Config{Limits: Limits{MessageRate: 1, MessageBurst: 5}})
	c := connect(t, h, "d", "u")
	for i := 0; i < 6; i++ {
		send(c, `{"type":"ping"}`)
	}
	select {
	case <-c.Done():
	default:
		t.Fatal("flood did not close the client")
	}
	if code, _ := c.CloseCode(); code != CloseRateLimited {
		t.Fatalf("close code %d, want %d", code, CloseRateLimited)
	}
}

func TestLimits(t *testing.T) {
	h := New(Config{Limits: Limits{MaxSubscriptions: 1, MaxPresence: 1}})
	c := connect(t, h, "d", "u")
	messages(t, c)
	send(c, `{"type":"subscribe","query":"*[a == 1]"}`)
	send(c, `{"type":"subscribe","query":"*[a == 1]","params":{"x":1}}`) // same text: replaces
	send(c, `{"type":"subscribe","query":"*[a == 2]"}`)
	if got := messages(t, c); len(got) != 3 || got[2]["code"] != protocol.CodeLimit {
		t.Fatalf("subscription limit: %v", got)
	}
	send(c, `{"type":"presence.join","documentId":"a"}`)
	send(c, `{"type":"presence.join","documentId":"b"}`)
	if got := messages(t, c); len(got) != 1 || got[0]["code"] != protocol.CodeLimit {
		t.Fatalf("presence limit: %v", got)
	}
}

func TestConnectionLimits(t *testing.T) {
	h := New(Config{MaxSockets: 3, MaxSocketsPerUser: 2, MaxSocketsPerAddr: 2})
	open := func(user, addr string) (*Client, error) {
		return h.Connect(ClientOptions{Dataset: "d", User: protocol.User{UserID: user}, RemoteAddr: addr})
	}
	a1, err := open("alice", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open("alice", "10.0.0.2"); err != nil {
		t.Fatal(err)
	}
	if _, err := open("alice", "10.0.0.3"); !errors.Is(err, ErrLimit) {
		t.Fatalf("third socket of a user: %v", err)
	}
	if _, err := open("bob", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := open("carol", "10.0.0.1"); !errors.Is(err, ErrLimit) {
		t.Fatalf("over the total (and per-address) limit: %v", err)
	}
	a1.Disconnect()
	a1.Disconnect() // idempotent: released once
	if _, err := open("carol", "10.0.0.9"); err != nil {
		t.Fatalf("after a disconnect: %v", err)
	}
	if _, err := open("dave", "10.0.0.8"); !errors.Is(err, ErrLimit) {
		t.Fatalf("total limit after release: %v", err)
	}
}
