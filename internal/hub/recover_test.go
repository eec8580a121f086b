package hub

import (
	"sync"
	"sync/atomic"
	"testing"
)

// panickyWire takes nothing inline and panics in its blocking write: a bug
// in a socket's writer goroutine.
type panickyWire struct {
	*fakeWire
}

func (w panickyWire) TryWrite([]byte) (int, error) { return 0, nil }
func (w panickyWire) Write([][]byte) error         { panic("writer bug") }

// TestPanicInAWriterClosesThatSocketOnly: a panic on a socket's writer
// goroutine is reported and ends that socket with 1011; the process and
// the other sockets carry on.
func TestPanicInAWriterClosesThatSocketOnly(t *testing.T) {
	var reported atomic.Int64
	h := New(Config{OnPanic: func(any, []byte) { reported.Add(1) }})
	w := panickyWire{newFakeWire(-1)}
	wiredClient(t, h, w, nil) // its welcome goes to the writer, which panics
	<-w.closed
	if !w.aborted {
		t.Error("the stream the panic left mid-write was closed with a close frame")
	}
	if reported.Load() != 1 {
		t.Errorf("%d panics reported, want 1", reported.Load())
	}
	good := newFakeWire(-1)
	wiredClient(t, h, good, nil)
	waitFor(t, "another socket's welcome and snapshot", func() bool { return wholeFrames(good.written()) == 2 })
	waitFor(t, "the broken client to leave the hub", func() bool { return h.Stats().Clients == 1 })
}

// panickyFilter is a filter with a bug.
type panickyFilter struct{}

func (panickyFilter) Match(map[string]any) bool { panic("filter bug") }
func (panickyFilter) Types() []string           { return nil }

// TestPanicInAFilterLeavesTheDatasetUnlocked: Publish's caller (the
// observer) recovers a panic from a filter; the dataset's lock must not
// stay held, or every later connect and subscribe would block.
func TestPanicInAFilterLeavesTheDatasetUnlocked(t *testing.T) {
	h := New(Config{Compile: func(string, map[string]any) (Filter, error) { return panickyFilter{}, nil }})
	c := wiredClient(t, h, newFakeWire(-1), nil)
	send(c, `{"type":"subscribe","query":"*[true]"}`)
	func() {
		defer func() { _ = recover() }()
		h.Publish("d", Change{ID: "p", Type: "post", Operation: "update", Doc: map[string]any{}})
		t.Error("the filter's panic did not reach Publish's caller")
	}()
	connected := make(chan struct{})
	go func() {
		defer close(connected)
		wiredClient(t, h, newFakeWire(-1), nil)
	}()
	waitFor(t, "a connect after the panic", func() bool {
		select {
		case <-connected:
			return true
		default:
			return false
		}
	})
}

// TestPanicInAFanOutShardIsReported: a panic while a pool goroutine sends
// its shard is reported, not the end of the process, and the fan-out that
// waits for the shard is released.
func TestPanicInAFanOutShardIsReported(t *testing.T) {
	var reported atomic.Int64
	h := New(Config{OnPanic: func(any, []byte) { reported.Add(1) }})
	var wg sync.WaitGroup
	wg.Add(1)
	broken := &Client{hub: h} // no outbound queue: sending to it panics
	sendJob{frame: testFrame("x", 1), clients: []*Client{broken}, wg: &wg}.runRecovered()
	wg.Wait()
	if reported.Load() != 1 {
		t.Errorf("%d panics reported, want 1", reported.Load())
	}
}
