package hub

import (
	"fmt"
	"sync"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// TestConcurrentChurn runs connects, subscriptions, presence, publishes,
// resumes and disconnects from many goroutines at once (run it with -race),
// then checks that every client that stayed saw every event of its dataset
// once and in order, and that nothing is left behind.
func TestConcurrentChurn(t *testing.T) {
	h := New(Config{})
	const (
		datasets  = 3
		stayers   = 4
		churners  = 8
		rounds    = 20
		publishes = 200
	)
	type stayer struct {
		c    *Client
		seqs []uint64
	}
	var stay []*stayer
	for d := 0; d < datasets; d++ {
		for i := 0; i < stayers; i++ {
			c, err := h.Connect(ClientOptions{Dataset: fmt.Sprint("d", d), User: protocol.User{UserID: fmt.Sprint("stay", d, i)}})
			if err != nil {
				t.Fatal(err)
			}
			c.Handle([]byte(`{"type":"subscribe","query":"*[_type == \"post\"]"}`))
			c.Handle([]byte(`{"type":"subscribe","query":"*[defined(_id)]"}`)) // both match: still one event
			stay = append(stay, &stayer{c: c})
		}
	}

	var wg sync.WaitGroup
	for g := 0; g < churners; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				c, err := h.Connect(ClientOptions{
					Dataset: fmt.Sprint("d", (g+r)%datasets),
					User:    protocol.User{UserID: fmt.Sprint("churn", g%5), UserName: "C"},
					Resume:  &ResumeFrom{Since: 0, Epoch: h.Epoch()},
				})
				if err != nil {
					t.Error(err)
					return
				}
				c.Handle([]byte(`{"type":"subscribe","query":"*[_type == \"post\" && n > 10]"}`))
				c.Handle([]byte(fmt.Sprintf(`{"type":"presence.join","documentId":"doc%d"}`, r%7)))
				c.Handle([]byte(`{"type":"ping"}`))
				c.Drain(nil)
				if r%2 == 0 {
					c.Handle([]byte(fmt.Sprintf(`{"type":"presence.leave","documentId":"doc%d"}`, r%7)))
				}
				c.Disconnect()
			}
		}(g)
	}
	for p := 0; p < 2; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < publishes; i++ {
				h.Publish(fmt.Sprint("d", i%datasets), Change{ID: fmt.Sprint("doc", i%7), Type: "post", Operation: "update",
					Doc: map[string]any{"_id": fmt.Sprint("doc", i%7), "_type": "post", "n": float64(i)}})
			}
		}(p)
	}
	// Stayers read while all of that happens, as their writers would.
	done := make(chan struct{})
	var readers sync.WaitGroup
	for _, s := range stay {
		readers.Add(1)
		go func(s *stayer) {
			defer readers.Done()
			read := func() {
				for _, f := range s.c.Drain(nil) {
					if m := decodeFrame(t, f); m["type"] == "mutation" {
						s.seqs = append(s.seqs, uint64(m["seq"].(float64)))
					}
				}
			}
			for {
				select {
				case <-s.c.Ready():
					read()
				case <-done:
					read() // what came after the last wake-up
					return
				}
			}
		}(s)
	}
	wg.Wait()
	close(done)
	readers.Wait()

	for _, s := range stay {
		want := 0
		for i := 0; i < publishes; i++ {
			if fmt.Sprint("d", i%datasets) == s.c.Dataset() {
				want += 2 // two publishers
			}
		}
		if len(s.seqs) != want {
			t.Errorf("%s got %d events, want %d", s.c.ID(), len(s.seqs), want)
		}
		for i := 1; i < len(s.seqs); i++ {
			if s.seqs[i] != s.seqs[i-1]+1 {
				t.Fatalf("%s: seq %d after %d", s.c.ID(), s.seqs[i], s.seqs[i-1])
			}
		}
		s.c.Disconnect()
	}
	if st := h.Stats(); st.Clients != 0 || st.Subscriptions != 0 || st.Present != 0 {
		t.Fatalf("left behind: %+v", st)
	}
}
