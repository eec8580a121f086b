package hub

import "sync"

// queue is a client's one bounded outbound queue of ready frames. Pushing
// never blocks: a full queue reports false and the caller closes the client
// as a slow consumer. The transport's writer drains it in batches.
type queue struct {
	mu       sync.Mutex
	frames   [][]byte
	bytes    int
	maxLen   int
	maxBytes int
	ready    chan struct{} // capacity 1: "something was pushed"
}

func newQueue(maxLen, maxBytes int) *queue {
	return &queue{maxLen: maxLen, maxBytes: maxBytes, ready: make(chan struct{}, 1)}
}

func (q *queue) push(frame []byte) bool {
	q.mu.Lock()
	if len(q.frames) >= q.maxLen || q.bytes+len(frame) > q.maxBytes {
		q.mu.Unlock()
		return false
	}
	q.frames = append(q.frames, frame)
	q.bytes += len(frame)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return true
}

// drain appends every queued frame to dst, empties the queue and returns dst.
func (q *queue) drain(dst [][]byte) [][]byte {
	q.mu.Lock()
	dst = append(dst, q.frames...)
	clear(q.frames)
	q.frames = q.frames[:0]
	if cap(q.frames) > 64 {
		q.frames = nil // a burst grew it; give the memory back
	}
	q.bytes = 0
	q.mu.Unlock()
	return dst
}
