package hub

import (
	"container/heap"
	"sync"
	"time"
)

// expiries closes clients whose token expires, with CloseUnauthorized, from
// one timer per hub set to the earliest expiry, instead of a timer per
// socket.
type expiries struct {
	mu    sync.Mutex
	due   expiryHeap
	timer *time.Timer
	next  int64 // when timer fires (Unix nanoseconds); 0: stopped
}

// set makes c expire at t (zero: never), replacing its previous expiry.
func (e *expiries) set(c *Client, t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c.expiryIdx >= 0 {
		heap.Remove(&e.due, c.expiryIdx)
	}
	if t.IsZero() {
		return
	}
	c.expiresAt = t.UnixNano()
	heap.Push(&e.due, c)
	e.scheduleLocked()
}

// scheduleLocked sets the timer to the earliest expiry when it is not set
// to fire by then. The caller holds e.mu.
func (e *expiries) scheduleLocked() {
	if len(e.due) == 0 {
		return
	}
	at := e.due[0].expiresAt
	if e.next != 0 && e.next <= at {
		return
	}
	e.next = at
	d := time.Until(time.Unix(0, at))
	if e.timer == nil {
		e.timer = time.AfterFunc(d, e.fire)
	} else {
		e.timer.Reset(d)
	}
}

// fire kicks the clients that are due and sets the timer to the next.
func (e *expiries) fire() {
	now := time.Now().UnixNano()
	var expired []*Client
	e.mu.Lock()
	e.next = 0
	for len(e.due) > 0 && e.due[0].expiresAt <= now {
		expired = append(expired, heap.Pop(&e.due).(*Client))
	}
	e.scheduleLocked()
	e.mu.Unlock()
	for _, c := range expired {
		func() {
			defer c.hub.recovered(nil) // the timer's goroutine: a panic must not end the process
			c.kick(CloseUnauthorized, "token expired")
		}()
	}
}

// expiryHeap orders clients by expiry; each knows its index, so that a
// refreshed or departed client leaves the heap at once.
type expiryHeap []*Client

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expiresAt < h[j].expiresAt }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].expiryIdx, h[j].expiryIdx = i, j
}

func (h *expiryHeap) Push(x any) {
	c := x.(*Client)
	c.expiryIdx = len(*h)
	*h = append(*h, c)
}

func (h *expiryHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	c.expiryIdx = -1
	return c
}
