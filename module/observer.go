package module

import (
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/capture"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/infer"
)

// observerQueue bounds the responses waiting for inference: a burst of
// writes that size goes through without waiting, and under sustained
// overload events fall no further behind the writes than that. observerWait
// is how long a write waits for a slot when it is full, and observerParked
// how many writes may wait in goroutines of their own (see observer).
const (
	observerQueue  = 512
	observerWait   = 2 * time.Second
	observerParked = 256
)

// observation is one finished response handed from the request goroutine to
// the observer.
type observation struct {
	dataset  string
	engine   *infer.Engine
	method   string
	path     string
	query    string
	encoding string
	ctype    string
	maxBody  int
	rec      *capture.Recorder
	seen     time.Time
}

// observer runs inference off the request path, in the order responses
// finished, and publishes the changes to the hub.
//
// Its queue is bounded. Reads only warm the cache, so they may fill no more
// than half of it: a burst of reads never crowds out a write, and a read
// that finds the queue half full is skipped (no event is lost by that).
//
// A write that finds the queue full (writes outrun the fan-out) is not
// dropped at once, and its response is never held back, changed or broken
// for it:
//   - When the client has the whole response once it is flushed (HTTP/1.x
//     with a Content-Length, or a status without a body), the response is
//     flushed and the request's handler waits, up to observerWait, for a
//     slot. Only that connection's next request waits: back-pressure on the
//     client that writes faster than its events can be sent, none on
//     anyone else. (The access log counts the wait in the request's
//     duration.) A slot frees each time an event is fanned out, which
//     realtime-bench measured at about 18 ms per event with 1,000 sockets
//     and 160 ms with 10,000 on a 2-core machine: 2 s lets about a dozen
//     writers wait their turn.
//   - Otherwise (an HTTP/2 or HTTP/3 response ends when the handler
//     returns; a chunked or compressed body is finished by whoever wraps
//     this handler), a goroutine waits for the slot instead, up to
//     observerWait, at most observerParked of them at a time.
//
// A write that still finds no slot is dropped, with a warning at most once
// a second. Waiting writes take the slots in the order they came (a
// channel serves its blocked senders first in, first out), so inference
// still sees each client's writes in order.
type observer struct {
	hub     *hub.Hub
	logger  *zap.Logger
	queue   chan observation
	parked  chan struct{} // a token per goroutine waiting for a slot
	waitFor time.Duration // observerWait
	waiters sync.WaitGroup
	wg      sync.WaitGroup
	// mu is held for reading by every enqueue and for writing by stop, so
	// that the queue is closed only once no handler can send to it; a
	// request still being served when Caddy stops finds closed set.
	mu      sync.RWMutex
	closed  bool
	dropped atomic.Int64
	warned  atomic.Int64 // unix second of the last drop warning
}

func newObserver(h *hub.Hub, logger *zap.Logger) *observer {
	o := &observer{
		hub:     h,
		logger:  logger,
		queue:   make(chan observation, observerQueue),
		parked:  make(chan struct{}, observerParked),
		waitFor: observerWait,
	}
	o.wg.Add(1)
	go o.run()
	return o
}

// enqueue hands a finished response to inference; see observer for
// what happens when the queue is full. The caller is the request's
// handler, before it returns.
func (o *observer) enqueue(obs observation) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.closed {
		obs.rec.Release()
		return
	}
	if obs.method == http.MethodGet && len(o.queue) >= cap(o.queue)/2 {
		obs.rec.Release()
		return // a read only warms the cache: skipping it loses no event
	}
	select {
	case o.queue <- obs:
		return
	default:
	}
	if completeOnceFlushed(obs.rec) {
		_ = obs.rec.FlushError() // the client has the response before anything waits
		if o.wait(obs) {
			return
		}
	} else if o.park(obs) {
		return
	}
	o.drop(obs)
}

// wait sends obs to the queue, waiting up to o.waitFor for a slot.
func (o *observer) wait(obs observation) bool {
	t := time.NewTimer(o.waitFor)
	defer t.Stop()
	select {
	case o.queue <- obs:
		return true
	case <-t.C:
		return false
	}
}

// park waits for a slot for obs in a goroutine of its own, if fewer than
// observerParked do already.
func (o *observer) park(obs observation) bool {
	select {
	case o.parked <- struct{}{}:
	default:
		return false
	}
	o.waiters.Add(1)
	go func() {
		defer o.waiters.Done()
		defer func() { <-o.parked }()
		if !o.wait(obs) {
			o.drop(obs)
		}
	}()
	return true
}

func (o *observer) drop(obs observation) {
	obs.rec.Release()
	o.dropped.Add(1)
	// Warn at most once a second, with the count, not once per drop.
	now := time.Now().Unix()
	if last := o.warned.Load(); last != now && o.warned.CompareAndSwap(last, now) {
		o.logger.Warn("real-time observer is behind; write responses were not inspected and gave no event",
			zap.Int64("dropped_total", o.dropped.Load()), zap.String("last_path", obs.path))
	}
}

// completeOnceFlushed reports whether the client has the whole response as
// soon as what was written is flushed: the connection is HTTP/1.x (its
// innermost writer can be hijacked; an HTTP/2 or HTTP/3 stream ends only
// when the handler returns) and the response declares its length or has no
// body. A writer that wraps this handler and changes the body (compression)
// drops the Content-Length it finishes later.
func completeOnceFlushed(rec *capture.Recorder) bool {
	var w http.ResponseWriter = rec
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	if _, http1 := w.(http.Hijacker); !http1 {
		return false
	}
	switch rec.Status() {
	case http.StatusNoContent, http.StatusNotModified:
		return true
	}
	return rec.Header().Get("Content-Length") != ""
}

// stop infers what is queued and waiting, then ends the observer. A
// response enqueued after it (a request Caddy was still serving) is
// dropped.
func (o *observer) stop() {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.closed = true
	o.mu.Unlock()
	o.waiters.Wait() // the queue is drained meanwhile, so they end in time
	close(o.queue)
	o.wg.Wait()
}

func (o *observer) run() {
	defer o.wg.Done()
	for obs := range o.queue {
		o.handle(obs)
	}
}

func (o *observer) handle(obs observation) {
	defer obs.rec.Release()
	defer func() {
		if p := recover(); p != nil {
			o.logger.Error("real-time inference panicked; no event for this response",
				zap.String("method", obs.method), zap.String("path", obs.path), zap.Any("panic", p))
		}
	}()
	resp := infer.Response{
		Method:      obs.method,
		Path:        obs.path,
		Status:      obs.rec.Status(),
		ContentType: obs.ctype,
		Truncated:   obs.rec.Truncated(),
	}
	if obs.query != "" {
		resp.Query, _ = url.ParseQuery(obs.query)
	}
	if resp.Truncated {
		o.logger.Debug("response body over max_body: proxied whole, not inspected, no event",
			zap.String("method", obs.method), zap.String("path", obs.path), zap.Int("max_body", obs.maxBody))
	}
	if raw := obs.rec.Body(); len(raw) > 0 {
		body, err := capture.Decode(raw, obs.encoding, obs.maxBody)
		if err != nil {
			o.logger.Debug("response body not inspected", zap.String("path", obs.path), zap.Error(err))
			resp.Truncated = true
		} else {
			resp.Body = body
		}
	}
	for _, ch := range obs.engine.Observe(obs.dataset, resp) {
		o.hub.Publish(obs.dataset, hub.Change{
			ID:        ch.ID,
			Type:      ch.Type,
			Operation: string(ch.Op),
			Doc:       ch.Doc,
			Prev:      ch.Prev,
			TS:        obs.seen,
		})
	}
}
