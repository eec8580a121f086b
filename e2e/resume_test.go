package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
)

// TestResumeReplaysMissedEvents reconnects with since=SEQ&epoch=E and
// expects the matching events it missed, once each, in order, then live
// events without duplicates.
func TestResumeReplaysMissedEvents(t *testing.T) {
	e := newEnv(t)
	first, _ := e.connect("/ws", "alice", "Alice")
	first.subscribe(allPosts, nil)
	seen := first.expectMutation(e.create("/posts", map[string]any{"title": "Seen"}), "posts", "create")
	first.drop()
	// Inference runs after the responses: a witness that stays connected
	// shows when the sidecar has seen every missed write, so that they are
	// all history by the time the subscriber comes back.
	witness, _ := e.connect("/ws", "bob", "Bob")
	witness.subscribe(`*[_type in ["posts", "comments"]]`, nil)

	missed := e.create("/posts", map[string]any{"title": "Missed", "status": "draft"})
	e.write(http.StatusOK, http.MethodPatch, "/posts/"+missed, map[string]any{"title": "Missed twice"})
	comment := e.create("/comments", map[string]any{"postId": 1, "body": "not a post"})
	witness.expectMutation(missed, "posts", "create")
	witness.expectMutation(missed, "posts", "update")
	witness.expectMutation(comment, "comments", "create")

	q := url.Values{
		"token": {e.token("alice", "Alice")},
		"since": {strconv.FormatFloat(seen.fields["seq"].(float64), 'f', -1, 64)},
		"epoch": {seen.str("epoch")},
	}
	c := dialWS(t, "resumed", e.wsURL("/ws", q))
	c.expect("welcome", waitMessage)
	c.expect("presence.snapshot", waitMessage)
	c.lastSeq = seen.fields["seq"].(float64)
	c.send(map[string]any{"type": "subscribe", "query": allPosts})

	var events []string
	subscribed, resumed := false, false
	for !subscribed || !resumed {
		m := c.next("subscribed, the missed events and resumed", waitMessage)
		switch m.typ() {
		case "subscribed":
			subscribed = true
		case "resumed":
			resumed = true
		case "mutation":
			c.expectEvent(m)
			if m.str("epoch") != seen.str("epoch") {
				t.Errorf("replayed %s from another epoch than %q", m, seen.str("epoch"))
			}
			events = append(events, m.str("documentId")+" "+m.str("operation"))
		default:
			t.Fatalf("unexpected %s while resuming", m)
		}
	}
	if want := []string{missed + " create", missed + " update"}; !slices.Equal(events, want) {
		t.Errorf("replayed %q, want %q", events, want)
	}
	live := e.create("/posts", map[string]any{"title": "Live again"})
	c.expectMutation(live, "posts", "create")
	c.expectNothing(quiet)
}

func TestResumeFromUnknownHistoryGetsReset(t *testing.T) {
	e := newEnv(t)
	for _, q := range []url.Values{
		{"since": {"1"}, "epoch": {"not-this-servers-epoch"}},
		{"since": {"99999"}, "epoch": {""}},
		{"since": {"garbage"}},
	} {
		q.Set("token", e.token("alice", "Alice"))
		c := dialWS(t, "resume "+q.Encode(), e.wsURL("/ws", q))
		c.expect("welcome", waitMessage)
		got := map[string]bool{}
		for range 2 {
			got[c.next("presence.snapshot and reset", waitMessage).typ()] = true
		}
		if !got["presence.snapshot"] || !got["reset"] {
			t.Errorf("resume with %s: got %v, want presence.snapshot and reset", redactToken(q.Encode()), got)
		}
		c.ping()
	}
}
