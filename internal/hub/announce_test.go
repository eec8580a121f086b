package hub

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// announced waits until every dataset of h has sent the presence
// announcements queued so far.
func announced(t *testing.T, h *Hub) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		idle := true
		for _, ds := range h.allDatasets() {
			ds.announcer.mu.Lock()
			idle = idle && !ds.announcer.sending
			ds.announcer.mu.Unlock()
		}
		if idle {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("presence announcements still being sent after 10s")
		}
		time.Sleep(time.Millisecond)
	}
}

// stallingWire passes every frame it is written to frames, but holds the
// first one that contains stall until open is closed, as a socket stalled
// in the kernel would.
type stallingWire struct {
	takeAll
	stall  []byte
	held   chan struct{} // closed when a frame is held
	open   chan struct{}
	once   sync.Once
	frames chan []byte
}

func newStallingWire(stall string) *stallingWire {
	return &stallingWire{stall: []byte(stall), held: make(chan struct{}), open: make(chan struct{}), frames: make(chan []byte, 64)}
}

func (w *stallingWire) TryWrite(p []byte) (int, error) {
	if bytes.Contains(p, w.stall) {
		w.once.Do(func() { close(w.held) })
		<-w.open
	}
	w.frames <- p
	return len(p), nil
}

func (w *stallingWire) Write(frames [][]byte) error {
	for _, f := range frames {
		w.frames <- slices.Clone(f)
	}
	return nil
}

// next returns the next frame written, decoded.
func (w *stallingWire) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case f := <-w.frames:
		return decodeFrame(t, f)
	case <-time.After(10 * time.Second):
		t.Fatal("no frame written in 10s")
		return nil
	}
}

// TestPresenceChangesDoNotWaitForAStalledWatcher joins and leaves documents
// while the first join is stuck on its way to a watcher: every Handle call
// must return meanwhile (a poller worker reads other sockets), and once the
// watcher takes frames again it gets every announcement, in order.
func TestPresenceChangesDoNotWaitForAStalledWatcher(t *testing.T) {
	h := New(Config{})
	watcher := connect(t, h, "d", "watcher")
	watcher.Drain(nil) // an idle stream: every frame is written inline
	w := newStallingWire(`"presence.join"`)
	watcher.Attach(w)
	alice := connect(t, h, "d", "alice")
	bob := connect(t, h, "d", "bob")
	alice.Drain(nil)
	bob.Drain(nil)

	handled := make(chan struct{})
	go func() {
		defer close(handled)
		send(alice, `{"type":"presence.join","documentId":"doc1"}`)
		send(bob, `{"type":"presence.join","documentId":"doc2"}`)
		send(alice, `{"type":"presence.leave","documentId":"doc1"}`)
		send(bob, `{"type":"presence.leave","documentId":"doc2"}`)
	}()
	select {
	case <-w.held:
	case <-time.After(10 * time.Second):
		t.Fatal("alice's join never reached the watcher")
	}
	select {
	case <-handled:
	case <-time.After(10 * time.Second):
		close(w.open)
		t.Fatal("a presence message's Handle waited for an announcement to be written")
	}
	close(w.open)

	want := []struct{ typ, doc, user string }{
		{"presence.join", "doc1", "alice"},
		{"presence.join", "doc2", "bob"},
		{"presence.leave", "doc1", "alice"},
		{"presence.leave", "doc2", "bob"},
	}
	for i, wm := range want {
		m := w.next(t)
		if m["type"] != wm.typ || m["documentId"] != wm.doc || m["userId"] != wm.user {
			t.Fatalf("watcher's announcement %d = %v, want %s of %s on %s", i, m, wm.typ, wm.user, wm.doc)
		}
	}
	announced(t, h)
	if got := types(messages(t, bob)); !slices.Equal(got, []string{"presence.join", "presence.leave"}) {
		t.Errorf("bob got %v, want alice's join then leave (not his own)", got)
	}
	if got := types(messages(t, alice)); !slices.Equal(got, []string{"presence.join", "presence.leave"}) {
		t.Errorf("alice got %v, want bob's join then leave (not her own)", got)
	}
}

// TestLeaveAnnouncementHoldsNoDatasetLock closes a socket whose leave is
// stuck on its way to a watcher: Disconnect returns, a subscribe, a publish
// and a connect of the same dataset go through meanwhile, and the leave is
// still announced, once.
func TestLeaveAnnouncementHoldsNoDatasetLock(t *testing.T) {
	h := New(Config{})
	watcher := connect(t, h, "d", "watcher")
	watcher.Drain(nil)
	w := newStallingWire(`"presence.leave"`)
	watcher.Attach(w)
	alice := connect(t, h, "d", "alice")
	send(alice, `{"type":"presence.join","documentId":"doc1"}`)
	bob := connect(t, h, "d", "bob")
	bob.Drain(nil)

	alice.Disconnect()
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
	close(w.open)

	var leaves int
	for range 2 { // alice's join, then her leave
		if w.next(t)["type"] == "presence.leave" {
			leaves++
		}
	}
	announced(t, h)
	if leaves != 1 || len(w.frames) != 0 {
		t.Errorf("the watcher was written %d leaves and %d frames more, want 1 leave", leaves, len(w.frames))
	}
	// The leave reaches bob before or after his subscription's messages,
	// but once; those keep their order.
	got := types(messages(t, bob))
	rest := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s == "presence.leave" })
	if len(got)-len(rest) != 1 || !slices.Equal(rest, []string{"subscribed", "mutation"}) {
		t.Errorf("bob got %v, want one presence.leave, and subscribed then mutation", got)
	}
}

// panickingWire panics on every frame it is given.
type panickingWire struct {
	takeAll
	panics atomic.Int32
}

func (w *panickingWire) TryWrite([]byte) (int, error) {
	w.panics.Add(1)
	panic("broken wire")
}

// TestAnnouncementPanicStopsNotTheLine has a socket panic while its first
// announcement is sent to it: the announcements after it are still sent to
// the dataset's other sockets.
func TestAnnouncementPanicStopsNotTheLine(t *testing.T) {
	h := New(Config{})
	broken := connect(t, h, "d", "broken")
	broken.Drain(nil)
	w := new(panickingWire)
	broken.Attach(w)
	watcher := connect(t, h, "d", "watcher")
	watcher.Drain(nil)
	alice := connect(t, h, "d", "alice")

	send(alice, `{"type":"presence.join","documentId":"doc1"}`)
	send(alice, `{"type":"presence.join","documentId":"doc2"}`)
	announced(t, h)

	if got := w.panics.Load(); got != 1 {
		t.Fatalf("the broken wire was written %d times, want 1", got)
	}
	msgs := messages(t, watcher)
	if len(msgs) == 0 || msgs[len(msgs)-1]["type"] != "presence.join" || msgs[len(msgs)-1]["documentId"] != "doc2" {
		t.Errorf("watcher got %v, want alice's join of doc2 last", msgs)
	}
}
