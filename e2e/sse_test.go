package e2e

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// sseStream reads one Server-Sent Events response.
type sseStream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

type sseEvent struct {
	id   string
	data map[string]any
}

func openSSE(t *testing.T, e *env, query url.Values, lastEventID string) (*sseStream, int) {
	t.Helper()
	u := url.URL{Scheme: "http", Host: e.caddy.cfg.HTTPAddr, Path: "/ws/sse", RawQuery: query.Encode()}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /ws/sse: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	return &sseStream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}, resp.StatusCode
}

// next returns the next event with data, skipping comments.
func (s *sseStream) next(what string) sseEvent {
	s.t.Helper()
	type result struct {
		ev  sseEvent
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var ev sseEvent
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				ch <- result{err: err}
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && ev.data != nil:
				ch <- result{ev: ev}
				return
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data); err != nil {
					ch <- result{err: err}
					return
				}
			}
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			s.t.Fatalf("waiting for %s: %v", what, r.err)
		}
		return r.ev
	case <-time.After(waitMessage):
		s.t.Fatalf("no %s within %v", what, waitMessage)
		return sseEvent{}
	}
}

func TestSSEFallbackStreamsAndResumes(t *testing.T) {
	e := newEnv(t)
	q := url.Values{"token": {e.token("alice", "Alice")}, "query": {allPosts}}
	s, _ := openSSE(t, e, q, "")
	if ev := s.next("welcome"); ev.data["type"] != "welcome" || ev.data["userId"] != "alice" {
		t.Fatalf("first event %v", ev.data)
	}
	s.next("presence.snapshot")
	if ev := s.next("subscribed"); ev.data["type"] != "subscribed" || ev.data["query"] != allPosts {
		t.Fatalf("subscribed = %v", ev.data)
	}
	id := e.create("/posts", map[string]any{"title": "Over SSE"})
	ev := s.next("mutation")
	if ev.data["type"] != "mutation" || ev.data["documentId"] != id || ev.data["operation"] != "create" || ev.id == "" {
		t.Fatalf("mutation = %v id %q", ev.data, ev.id)
	}
	if want := ev.data["epoch"].(string) + ":"; !strings.HasPrefix(ev.id, want) {
		t.Fatalf("event id %q does not start with %q", ev.id, want)
	}
	s.resp.Body.Close()

	missed := []string{
		e.create("/posts", map[string]any{"title": "Missed 1"}),
		e.create("/posts", map[string]any{"title": "Missed 2"}),
	}
	r, _ := openSSE(t, e, q, ev.id)
	for _, want := range []string{"welcome", "presence.snapshot", "subscribed"} {
		if got := r.next(want); got.data["type"] != want {
			t.Fatalf("got %v, want %s", got.data, want)
		}
	}
	// Inference runs after each response, off the request path: an event
	// may still be on its way when the stream reopens, and then arrives live
	// after the replay. Either way each missed event comes exactly once.
	seen := map[string]int{}
	resumed := false
	for len(seen) < len(missed) || !resumed {
		got := r.next("the missed events and resumed")
		switch got.data["type"] {
		case "mutation":
			seen[got.data["documentId"].(string)]++
		case "resumed":
			resumed = true
		default:
			t.Fatalf("unexpected %v while resuming", got.data)
		}
	}
	for _, id := range missed {
		if seen[id] != 1 {
			t.Errorf("missed post %s arrived %d times, want once (seen %v)", id, seen[id], seen)
		}
	}
}

func TestSSERefusals(t *testing.T) {
	e := newEnv(t)
	if _, code := openSSE(t, e, url.Values{"token": {"garbage"}}, ""); code != http.StatusUnauthorized {
		t.Errorf("bad token: %d, want 401", code)
	}
	stagingOnly := userClaims("bob", "Bob")
	stagingOnly["datasets"] = []string{"staging"}
	restricted := e.signed(stagingOnly)
	if _, code := openSSE(t, e, url.Values{"token": {restricted}}, ""); code != http.StatusForbidden {
		t.Errorf("dataset not allowed: %d, want 403", code)
	}
	s, _ := openSSE(t, e, url.Values{"token": {e.token("carol", "Carol")}, "query": {"*[_type == ]"}}, "")
	s.next("welcome")
	s.next("presence.snapshot")
	if ev := s.next("error"); ev.data["type"] != "error" || ev.data["code"] != "bad_query" {
		t.Fatalf("bad query over SSE = %v", ev.data)
	}
}
