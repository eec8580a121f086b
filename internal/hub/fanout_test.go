package hub

import (
	"fmt"
	"sync"
	"testing"
)

// TestShardedFanOutDeliversEveryEventOnceInOrder publishes from two
// goroutines to enough clients that every send is split over the CPUs, and
// checks that each client got every event once, in seq order.
func TestShardedFanOutDeliversEveryEventOnceInOrder(t *testing.T) {
	h := New(Config{})
	clients := subscribedClients(t, h, 3*shardMin, allPosts)
	const events = 40
	var wg sync.WaitGroup
	for p := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range events / 2 {
				h.Publish("d", Change{ID: fmt.Sprint("p", p, i), Type: "post", Operation: "update", Doc: map[string]any{"_type": "post"}})
			}
		}()
	}
	wg.Wait()
	for _, c := range clients {
		msgs := messages(t, c)
		if len(msgs) != events {
			t.Fatalf("%s got %d events, want %d", c.ID(), len(msgs), events)
		}
		for i, m := range msgs {
			if m["seq"] != float64(i+1) {
				t.Fatalf("%s: event %d has seq %v", c.ID(), i, m["seq"])
			}
		}
	}
}

// TestPresenceAnnouncementsKeepTheOrderOfTheChanges has two sockets of one
// user join and leave a document concurrently while many sockets watch:
// whatever the interleaving, the last announcement each watcher got must
// match whether the user ends up present.
func TestPresenceAnnouncementsKeepTheOrderOfTheChanges(t *testing.T) {
	h := New(Config{})
	watchers := make([]*Client, 2*shardMin)
	for i := range watchers {
		watchers[i] = benchClient(t, h, i)
	}
	for round := range 10 {
		doc := fmt.Sprint("doc-", round)
		tabs := []*Client{connect(t, h, "d", "alice"), connect(t, h, "d", "alice")}
		var wg sync.WaitGroup
		for i, c := range tabs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.limit = newTokenBucket(0, 0)
				for j := range 20 {
					send(c, fmt.Sprintf(`{"type":"presence.join","documentId":%q}`, doc))
					if j < 19 || i == 0 {
						send(c, fmt.Sprintf(`{"type":"presence.leave","documentId":%q}`, doc))
					}
				}
			}()
		}
		wg.Wait()
		announced(t, h)
		for _, w := range watchers {
			last := ""
			for _, m := range messages(t, w) {
				if m["documentId"] == doc {
					last = fmt.Sprint(m["type"])
				}
			}
			if last != "presence.join" { // the second tab stayed
				t.Fatalf("round %d: %s's last announcement is %q, but alice is present", round, w.ID(), last)
			}
		}
		for _, c := range tabs {
			c.Disconnect()
		}
		announced(t, h)
		for _, w := range watchers {
			w.Drain(nil)
		}
	}
}
