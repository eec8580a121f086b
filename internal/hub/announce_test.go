package hub

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stallingWire takes every frame at once but a presence.leave, which it
// holds until open is closed, as a socket stalled in the kernel would.
type stallingWire struct {
	takeAll
	held   chan struct{} // closed when a leave is held
	open   chan struct{}
	once   sync.Once
	leaves atomic.Int32
}

func newStallingWire() *stallingWire {
	return &stallingWire{held: make(chan struct{}), open: make(chan struct{})}
}

func (w *stallingWire) TryWrite(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"presence.leave"`)) {
		w.leaves.Add(1)
		w.once.Do(func() { close(w.held) })
		<-w.open
	}
	return len(p), nil
}

// TestLeaveAnnouncementHoldsNoDatasetLock closes a socket whose leave is
// stuck on its way to a watcher: a subscribe, a publish and a connect of
// the same dataset must go through meanwhile, and the leave must still be
// announced, once, before Disconnect returns.
func TestLeaveAnnouncementHoldsNoDatasetLock(t *testing.T) {
	h := New(Config{})
	watcher := connect(t, h, "d", "watcher")
	watcher.Drain(nil) // an idle stream: every frame is written inline
	w := newStallingWire()
	watcher.Attach(w)
	alice := connect(t, h, "d", "alice")
	send(alice, `{"type":"presence.join","documentId":"doc1"}`)
	bob := connect(t, h, "d", "bob")
	bob.Drain(nil)

	left := make(chan struct{})
	go func() {
		defer close(left)
		alice.Disconnect()
	}()
	select {
	case <-w.held:
	case <-time.After(10 * time.Second):
		t.Fatal("alice's leave never reached the watcher")
	}

	others := make(chan error, 1)
	go func() {
		send(bob, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
		h.Publish("d", Change{ID: "p1", Type: "post", Operation: "create", Doc: map[string]any{"_id": "p1", "_type": "post"}})
		c, err := h.Connect(ClientOptions{Dataset: "d"})
		if err == nil {
			c.Disconnect()
		}
		others <- err
	}()
	select {
	case err := <-others:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(w.open)
		t.Fatal("a subscribe, publish or connect waited for a leave announcement to be written")
	}
	select {
	case <-left:
		t.Fatal("Disconnect returned before its leave was written")
	default:
	}
	close(w.open)
	<-left

	if got := w.leaves.Load(); got != 1 {
		t.Errorf("the watcher was written %d leaves, want 1", got)
	}
	// The leave reaches bob before or after his subscription's messages,
	// but once; those keep their order.
	got := types(messages(t, bob))
	rest := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s == "presence.leave" })
	if len(got)-len(rest) != 1 || !slices.Equal(rest, []string{"subscribed", "mutation"}) {
		t.Errorf("bob got %v, want one presence.leave, and subscribed then mutation", got)
	}
}
