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

// observerQueue bounds the responses waiting for inference. When it is full
// (the real-time side cannot keep up) an observation is dropped and logged;
// the REST request never waits. Reads only warm the cache, so they may use
// no more than half of it: a burst of reads never crowds out a write.
const observerQueue = 4096

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
type observer struct {
	hub     *hub.Hub
	logger  *zap.Logger
	queue   chan observation
	wg      sync.WaitGroup
	once    sync.Once
	dropped atomic.Int64
	warned  atomic.Int64 // unix second of the last drop warning
}

func newObserver(h *hub.Hub, logger *zap.Logger) *observer {
	o := &observer{hub: h, logger: logger, queue: make(chan observation, observerQueue)}
	o.wg.Add(1)
	go o.run()
	return o
}

func (o *observer) enqueue(obs observation) {
	if obs.method == http.MethodGet && len(o.queue) >= cap(o.queue)/2 {
		obs.rec.Release()
		return // a read only warms the cache: skipping it loses no event
	}
	select {
	case o.queue <- obs:
	default:
		obs.rec.Release()
		o.dropped.Add(1)
		// Warn at most once a second, with the count, not once per drop.
		now := time.Now().Unix()
		if last := o.warned.Load(); last != now && o.warned.CompareAndSwap(last, now) {
			o.logger.Warn("real-time observer is behind; write responses were not inspected and gave no event",
				zap.Int64("dropped_total", o.dropped.Load()), zap.String("last_path", obs.path))
		}
	}
}

func (o *observer) stop() {
	o.once.Do(func() { close(o.queue) })
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
