package hub

import (
	"fmt"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

func publishPosts(h *Hub, dataset string, n int) (last uint64) {
	for i := 0; i < n; i++ {
		last = h.Publish(dataset, Change{ID: fmt.Sprint("p", i), Type: "post", Operation: "update", Doc: map[string]any{"_type": "post"}})
	}
	return last
}

func resumeClient(t *testing.T, h *Hub, since uint64, epoch string) *Client {
	t.Helper()
	c, err := h.Connect(ClientOptions{Dataset: "d", User: protocol.User{UserID: "u"}, Resume: &ResumeFrom{Since: since, Epoch: epoch}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	return c
}

func TestResumeReplaysMissedEventsOnceInOrderThenLive(t *testing.T) {
	h := New(Config{})
	first := connect(t, h, "d", "u")
	send(first, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	last := publishPosts(h, "d", 3)
	first.Disconnect()
	publishPosts(h, "d", 50)
	h.Publish("d", Change{ID: "a1", Type: "author", Operation: "create", Doc: map[string]any{"_type": "author"}})

	c := resumeClient(t, h, last, h.Epoch())
	if got := types(messages(t, c)); fmt.Sprint(got) != "[welcome presence.snapshot]" {
		t.Fatalf("on connect: %v", got)
	}
	send(c, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	live := h.Publish("d", Change{ID: "live", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post"}})
	msgs := messages(t, c)
	if len(msgs) != 53 {
		t.Fatalf("got %d messages, want subscribed + 50 replayed + resumed + 1 live: %v", len(msgs), types(msgs))
	}
	if msgs[0]["type"] != "subscribed" {
		t.Fatalf("first message %v", msgs[0])
	}
	for i, m := range msgs[1:51] {
		if m["type"] != "mutation" || m["seq"] != float64(last+1+uint64(i)) || m["documentId"] != fmt.Sprint("p", i) {
			t.Fatalf("replayed #%d = %v", i, m)
		}
	}
	if r := msgs[51]; r["type"] != "resumed" || r["replayed"] != 50.0 || r["since"] != float64(last) {
		t.Fatalf("resumed message = %v", r)
	}
	if m := msgs[52]; m["type"] != "mutation" || m["seq"] != float64(live) || m["documentId"] != "live" {
		t.Fatalf("live event after replay = %v", m)
	}
}

func TestResumeResetsWhenItCannot(t *testing.T) {
	h := New(Config{HistorySize: 10})
	publishPosts(h, "d", 30)
	cases := []struct {
		name  string
		since uint64
		epoch string
	}{
		{"gap beyond the window", 5, h.Epoch()},
		{"unknown epoch", 29, "another-epoch"},
		{"since from the future", 99, h.Epoch()},
	}
	for _, tc := range cases {
		c := resumeClient(t, h, tc.since, tc.epoch)
		msgs := messages(t, c)
		if len(msgs) != 3 || msgs[2]["type"] != "reset" || msgs[2]["epoch"] != h.Epoch() || msgs[2]["seq"] != 30.0 {
			t.Errorf("%s: %v", tc.name, msgs)
		}
		send(c, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
		if got := types(messages(t, c)); fmt.Sprint(got) != "[subscribed]" {
			t.Errorf("%s: after reset, subscribe replayed: %v", tc.name, got)
		}
	}
	c := resumeClient(t, h, 25, h.Epoch()) // within the window
	if got := types(messages(t, c)); fmt.Sprint(got) != "[welcome presence.snapshot]" {
		t.Fatalf("resume within the window: %v", got)
	}
}

func TestResumeMessageReplaysAllSubscriptionsInOrder(t *testing.T) {
	h := New(Config{})
	h.Publish("d", Change{ID: "x", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post"}})
	h.Publish("d", Change{ID: "y", Type: "author", Operation: "create", Doc: map[string]any{"_type": "author"}})
	h.Publish("d", Change{ID: "z", Type: "post", Operation: "update", Doc: map[string]any{"_type": "post"}})
	h.Publish("d", Change{ID: "w", Type: "tag", Operation: "update", Doc: map[string]any{"_type": "tag"}})
	c := connect(t, h, "d", "u")
	send(c, `{"type":"subscribe","query":"*[_type == \"author\"]"}`)
	send(c, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	send(c, `{"type":"subscribe","query":"*[_type in [\"post\", \"author\"]]"}`)
	messages(t, c)
	send(c, fmt.Sprintf(`{"type":"resume","since":0,"epoch":%q}`, h.Epoch()))
	msgs := messages(t, c)
	var ids []string
	for _, m := range msgs[:len(msgs)-1] {
		ids = append(ids, fmt.Sprint(m["documentId"]))
	}
	if fmt.Sprint(ids) != "[x y z]" || msgs[len(msgs)-1]["type"] != "resumed" || msgs[len(msgs)-1]["replayed"] != 3.0 {
		t.Fatalf("replay = %v then %v", ids, msgs[len(msgs)-1])
	}
	send(c, `{"type":"resume","since":"x","epoch":"e"}`)
	if got := messages(t, c); len(got) != 1 || got[0]["code"] != protocol.CodeInvalidMessage {
		t.Fatalf("bad resume message: %v", got)
	}
}

func TestRingHistory(t *testing.T) {
	h := NewRingHistory(3, 0)
	if _, ok := h.Since("d", 0, now()); !ok {
		t.Fatal("empty history cannot serve since=0")
	}
	for seq := uint64(1); seq <= 5; seq++ {
		h.Append("d", HistoryEntry{Seq: seq})
	}
	for since, want := range map[uint64]string{2: "[3 4 5]", 4: "[5]", 5: "[]"} {
		got, ok := h.Since("d", since, now())
		var seqs []uint64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if !ok || fmt.Sprint(seqs) != want && !(want == "[]" && len(seqs) == 0) {
			t.Errorf("Since(%d) = %v %v, want %s", since, seqs, ok, want)
		}
	}
	if _, ok := h.Since("d", 1, now()); ok {
		t.Error("Since(1) served although 2 was evicted")
	}
}

func now() time.Time { return time.Now() }
