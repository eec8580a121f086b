package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// fakeWire is a socket whose kernel buffer takes budget bytes at once
// (negative: everything) and whose blocking writes wait for gate.
type fakeWire struct {
	mu       sync.Mutex
	budget   int
	failTry  bool
	out      bytes.Buffer // everything written, in order
	inline   int          // TryWrite calls that took something
	gate     chan struct{}
	writing  chan struct{} // told when a blocking write starts
	closed   chan struct{}
	code     uint16
	last     [][]byte
	aborted  bool
	finishes int
}

func newFakeWire(budget int) *fakeWire {
	return &fakeWire{budget: budget, writing: make(chan struct{}, 100), closed: make(chan struct{})}
}

func (w *fakeWire) TryWrite(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failTry {
		return 0, errors.New("broken pipe")
	}
	n := len(p)
	if w.budget >= 0 {
		n = min(n, w.budget)
		w.budget -= n
	}
	if n > 0 {
		w.inline++
	}
	w.out.Write(p[:n])
	return n, nil
}

func (w *fakeWire) Write(frames [][]byte) error {
	w.writing <- struct{}{}
	w.mu.Lock()
	gate := w.gate
	w.mu.Unlock()
	if gate != nil {
		<-gate
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range frames {
		w.out.Write(f)
	}
	return nil
}

func (w *fakeWire) Close(last [][]byte, code uint16, _ string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range last {
		w.out.Write(f)
	}
	w.code, w.last = code, last
	w.finishes++
	close(w.closed)
}

func (w *fakeWire) Abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aborted = true
	w.finishes++
	close(w.closed)
}

func (w *fakeWire) written() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.out.Bytes())
}

// wholeFrames counts the complete frames at the start of a server's byte
// stream.
func wholeFrames(b []byte) int {
	n := 0
	for len(b) >= 4 {
		size, off := int(b[1]&0x7f), 2
		if size == 126 {
			size, off = int(b[2])<<8|int(b[3]), 4
		}
		if len(b) < off+size {
			break
		}
		b = b[off+size:]
		n++
	}
	return n
}

// splitFrames splits a server's byte stream into frames, failing on a torn
// one.
func splitFrames(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		n, off := int(b[1]&0x7f), 2
		switch n {
		case 126:
			n, off = int(b[2])<<8|int(b[3]), 4
		case 127:
			t.Fatal("no test frame is that big")
		}
		if len(b) < off+n {
			t.Fatalf("torn frame: %d bytes left, frame needs %d", len(b), off+n)
		}
		out = append(out, b[:off+n])
		b = b[off+n:]
	}
	return out
}

func testFrame(stream string, i int) []byte {
	return textFrame(fmt.Appendf(nil, `{"type":"t","s":%q,"n":%d,"pad":%q}`, stream, i, bytes.Repeat([]byte("x"), i%300)))
}

func wiredClient(t *testing.T, h *Hub, w Wire, limits *Limits) *Client {
	t.Helper()
	c, err := h.Connect(ClientOptions{Dataset: "d", User: connectUser(), Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	c.Attach(w)
	t.Cleanup(c.Disconnect)
	return c
}

func TestSocketThatTakesPartOfAFrameGetsTheRestFromTheWriterInOrder(t *testing.T) {
	h := New(Config{})
	w := newFakeWire(-1)
	c := wiredClient(t, h, w, &Limits{QueueMessages: 10000, QueueBytes: 64 << 20})
	waitFor(t, "welcome and snapshot written", func() bool { return wholeFrames(w.written()) == 2 })
	<-w.writing // theirs

	w.mu.Lock()
	w.budget = 1000 // then the socket is full: everything else is queued
	w.gate = make(chan struct{})
	w.mu.Unlock()
	var wg sync.WaitGroup
	sent := make([][][]byte, 2)
	for g := range sent {
		wg.Add(1)
		go func() { // two senders, each in its own order
			defer wg.Done()
			for i := range 200 {
				f := testFrame(fmt.Sprint(g), i)
				sent[g] = append(sent[g], f)
				c.send(f)
			}
		}()
	}
	wg.Wait()
	<-w.writing // the writer took over, and blocks until the socket drains
	close(w.gate)

	waitFor(t, "every frame written", func() bool { return wholeFrames(w.written()) == 2+len(sent[0])+len(sent[1]) })
	got := splitFrames(t, w.written())[2:]
	for g, frames := range sent {
		var mine [][]byte
		for _, f := range got {
			if bytes.Contains(f, fmt.Appendf(nil, `"s":"%d"`, g)) {
				mine = append(mine, f)
			}
		}
		if !slices.EqualFunc(mine, frames, bytes.Equal) {
			t.Fatalf("sender %d: %d frames arrived, not as sent (%d)", g, len(mine), len(frames))
		}
	}
	w.mu.Lock()
	inline := w.inline
	w.mu.Unlock()
	if inline == 0 {
		t.Fatal("no frame was written inline")
	}

	// The writer let the stream go: the next frame is written inline.
	waitFor(t, "the writer to exit", func() bool {
		c.out.mu.Lock()
		defer c.out.mu.Unlock()
		return !c.out.busy
	})
	w.mu.Lock()
	w.budget = -1
	w.mu.Unlock()
	c.send(testFrame("after", 0))
	w.mu.Lock()
	defer w.mu.Unlock()
	if got := w.inline; got != inline+1 {
		t.Fatalf("the frame after the queue drained was not written inline (%d inline writes before, %d after)", inline, got)
	}
}

// TestSlowConsumerGetsTheRestOfItsFrameThenTheCloseCode overflows a queue
// behind a frame the socket took 10 bytes of: the close frame must follow
// whole frames only, whether the writer had begun writing (then what it
// took) or not (then only the rest of the first frame).
func TestSlowConsumerGetsTheRestOfItsFrameThenTheCloseCode(t *testing.T) {
	h := New(Config{})
	w := newFakeWire(-1)
	c := wiredClient(t, h, w, &Limits{QueueMessages: 8, QueueBytes: 1 << 20})
	waitFor(t, "welcome and snapshot written", func() bool { return wholeFrames(w.written()) == 2 })
	<-w.writing // theirs
	w.mu.Lock()
	w.budget = 10
	w.gate = make(chan struct{})
	w.mu.Unlock()
	for i := range 20 {
		c.send(testFrame("s", i))
	}
	select {
	case <-c.Done():
	default:
		t.Fatal("20 frames into a queue of 8 did not close the client")
	}
	close(w.gate) // whether or not the writer began a write before the close
	<-w.closed
	if w.code != CloseSlowConsumer || w.aborted {
		t.Fatalf("closed with %d (aborted %v), want %d", w.code, w.aborted, CloseSlowConsumer)
	}
	// Whole frames only, in order: the first one's rest, and those the
	// writer had taken before the close; never the rest of the queue.
	got := splitFrames(t, w.written())[2:]
	if len(got) < 1 || len(got) > 9 {
		t.Fatalf("%d frames written, want 1 to 9", len(got))
	}
	for i, f := range got {
		if !bytes.Equal(f, testFrame("s", i)) {
			t.Fatalf("frame %d is %q", i, f)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := h.Shutdown(ctx, CloseGoingAway, ""); err != nil {
		t.Fatalf("Shutdown: %v: the finished client was not reported closed", err)
	}
}

func TestKickWhileTheWriterIsBusyFinishesAfterItsWrite(t *testing.T) {
	h := New(Config{})
	w := newFakeWire(0)
	w.gate = make(chan struct{})
	c := wiredClient(t, h, w, nil)
	<-w.writing // welcome and snapshot, blocked
	c.send(testFrame("q", 1))
	c.Kick(CloseGoingAway, "bye")
	select {
	case <-w.closed:
		t.Fatal("closed while a write was in progress")
	case <-time.After(20 * time.Millisecond):
	}
	close(w.gate)
	<-w.closed
	if w.code != CloseGoingAway || w.finishes != 1 || len(w.last) != 1 {
		t.Fatalf("code %d, finishes %d, last %d frames; want 1001, 1, 1", w.code, w.finishes, len(w.last))
	}
	if got := splitFrames(t, w.written()); len(got) != 3 {
		t.Fatalf("%d frames written, want 3", len(got))
	}
}

func TestFailedInlineWriteAbortsAndDisconnects(t *testing.T) {
	h := New(Config{})
	w := newFakeWire(-1)
	c := wiredClient(t, h, w, nil)
	waitFor(t, "welcome and snapshot written", func() bool { return wholeFrames(w.written()) == 2 })
	<-w.writing // theirs
	send(c, `{"type":"subscribe","query":"*[_type == \"post\"]"}`)
	w.mu.Lock()
	w.failTry = true
	w.mu.Unlock()
	h.Publish("d", Change{ID: "p", Type: "post", Operation: "update", Doc: map[string]any{"_id": "p", "_type": "post"}})
	<-w.closed
	if !w.aborted {
		t.Fatal("a failed write ended with a close frame")
	}
	waitFor(t, "the client to leave the hub", func() bool { return h.Stats().Clients == 0 })
}

var userSeq atomic.Int64

// connectUser is a fresh user, so that tests stay under the per-user limit.
func connectUser() protocol.User {
	return protocol.User{UserID: fmt.Sprint("wire-user-", userSeq.Add(1))}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// choosyWire takes a random part of each inline write, and its blocking
// writes take a little while, so that inline writes, partial frames and the
// writer alternate.
type choosyWire struct {
	fakeWire
	rnd *rand.Rand
}

func (w *choosyWire) TryWrite(p []byte) (int, error) {
	w.mu.Lock()
	w.budget = w.rnd.IntN(2 * len(p))
	w.mu.Unlock()
	return w.fakeWire.TryWrite(p)
}

func (w *choosyWire) Write(frames [][]byte) error {
	time.Sleep(time.Duration(w.rnd.IntN(200)) * time.Microsecond)
	return w.fakeWire.Write(frames)
}

// TestConcurrentSendersKeepTheirOrderThroughPartialWrites has four
// goroutines send to one client whose socket takes random parts of frames:
// every frame must arrive whole, each sender's in its order.
func TestConcurrentSendersKeepTheirOrderThroughPartialWrites(t *testing.T) {
	h := New(Config{})
	w := &choosyWire{fakeWire: *newFakeWire(-1), rnd: rand.New(rand.NewPCG(1, 2))}
	w.writing = make(chan struct{}, 1<<16)
	c := wiredClient(t, h, w, &Limits{QueueMessages: 1 << 16, QueueBytes: 64 << 20})
	const senders, each = 4, 500
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c.send(testFrame(fmt.Sprint(s), i))
			}
		}()
	}
	wg.Wait()
	waitFor(t, "every frame written", func() bool { return wholeFrames(w.written()) == 2+senders*each })
	next := make(map[string]int)
	for _, f := range splitFrames(t, w.written())[2:] {
		m := decodeFrame(t, f)
		s, n := m["s"].(string), int(m["n"].(float64))
		if n != next[s] {
			t.Fatalf("sender %s: frame %d after %d", s, n, next[s]-1)
		}
		next[s]++
	}
}
