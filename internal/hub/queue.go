package hub

import (
	"slices"
	"sync"
)

// queue is a client's outbound stream: its one bounded queue of ready frames
// and who owns the socket's write side at the moment.
//
// A frame goes straight to the socket (Wire.TryWrite) when the stream is
// idle; what the socket does not take at once waits here, in order, for a
// writer goroutine started on demand that exits once the queue is empty.
// Only one party owns the stream at a time (busy), so the parts of two
// frames never interleave on the wire. Pushing never blocks: a full queue
// reports false and the caller closes the client as a slow consumer.
//
// A client without a wire (a test, or the event stream fallback) is drained
// by its transport instead, which waits on ready.
type queue struct {
	mu       sync.Mutex
	frames   [][]byte
	bytes    int
	maxLen   int
	maxBytes int

	wire     Wire
	ready    chan struct{} // wire-less clients only: "something was pushed", made by Ready
	busy     bool          // an inline write or the writer owns the stream
	partial  bool          // frames[0] is the rest of a frame the socket took part of
	closing  bool          // the client was kicked: the stream's owner hands it to finish
	broken   bool          // a write failed: no close frame can follow
	finished bool          // the stream is finished: frames are dropped
}

func newQueue(maxLen, maxBytes int) *queue {
	return &queue{maxLen: maxLen, maxBytes: maxBytes}
}

// pushLocked appends frame within the bounds and wakes a wire-less
// transport. The caller holds q.mu.
func (q *queue) pushLocked(frame []byte) bool {
	if len(q.frames) >= q.maxLen || q.bytes+len(frame) > q.maxBytes {
		return false
	}
	q.frames = append(q.frames, frame)
	q.bytes += len(frame)
	if q.ready != nil {
		select {
		case q.ready <- struct{}{}:
		default:
		}
	}
	return true
}

// requeueLocked puts the part of a frame the socket did not take in front
// of whatever was queued meanwhile. It is already partly on the wire, so it
// is taken whatever the bounds. The caller holds q.mu.
func (q *queue) requeueLocked(rest []byte, partial bool) {
	q.frames = slices.Insert(q.frames, 0, rest)
	q.bytes += len(rest)
	q.partial = partial
}

// takeLocked appends every queued frame to dst and empties the queue. The
// caller holds q.mu.
func (q *queue) takeLocked(dst [][]byte) [][]byte {
	dst = append(dst, q.frames...)
	clear(q.frames)
	q.frames = q.frames[:0]
	if cap(q.frames) > 64 {
		q.frames = nil // a burst grew it; give the memory back
	}
	q.bytes = 0
	q.partial = false
	return dst
}

// readyChan returns the wake-up channel of a wire-less client, making it on
// first use, and primes it when frames are already waiting.
func (q *queue) readyChan() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.ready == nil {
		q.ready = make(chan struct{}, 1)
		if len(q.frames) > 0 {
			q.ready <- struct{}{}
		}
	}
	return q.ready
}

// drain appends every queued frame to dst, empties the queue and returns dst.
func (q *queue) drain(dst [][]byte) [][]byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.takeLocked(dst)
}
