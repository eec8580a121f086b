package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Close codes the hub asks a transport to close a socket with. README's
// reference lists them; 4001 and 4003 are decided by the transport's
// authentication, the rest here.
const (
	CloseGoingAway     = 1001 // the server is shutting down
	CloseTooBig        = 1009 // a frame or message over the size limit
	CloseInternalError = 1011 // a bug in the server ended this socket (and only it)
	CloseUnauthorized  = 4001 // missing, invalid or expired token
	CloseForbidden     = 4003 // dataset not allowed by the token
	CloseSlowConsumer  = 4008 // the outbound queue overflowed: the client does not read fast enough
	CloseRateLimited   = 4029 // the client sent more messages than its rate limit allows
	CloseTryLater      = 1013 // a connection limit (total, per user, per address) is reached
)

// Config tunes a Hub. Zero values take the documented defaults.
type Config struct {
	// Epoch names this hub's event history; it changes whenever history is
	// lost. Empty: a random one.
	Epoch string
	// Limits are the per-socket limits of clients that do not bring their
	// own in ClientOptions.
	Limits Limits
	// History keeps recent events for resume. Default: an in-memory ring
	// of HistorySize events per dataset no older than HistoryAge (defaults
	// 1000 and 10 minutes).
	History     History
	HistorySize int
	HistoryAge  time.Duration
	// ResumeWindow is how long after a resume point is set new
	// subscriptions are replayed from it (default 30 s).
	ResumeWindow time.Duration
	// MaxSockets, MaxSocketsPerUser and MaxSocketsPerAddr bound open
	// sockets in all, per userId and per remote address (defaults 0 =
	// unlimited, 256, 1024). Negative: unlimited.
	MaxSockets        int
	MaxSocketsPerUser int
	MaxSocketsPerAddr int
	// Compile turns a subscription's query and params into a filter.
	// Default: the GROQ engine.
	Compile Compiler
	// OnPanic hears of a panic the hub recovered on one of its own
	// goroutines (a fan-out shard, a socket's writer, a disconnect, the
	// token expiry timer), with its stack. Nil: it is not reported.
	OnPanic func(value any, stack []byte)
}

func (c *Config) setDefaults() {
	if c.Epoch == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		c.Epoch = hex.EncodeToString(b[:])
	}
	c.Limits.setDefaults()
	c.setSocketDefaults()
	if c.HistorySize == 0 {
		c.HistorySize = 1000
	}
	if c.HistoryAge == 0 {
		c.HistoryAge = 10 * time.Minute
	}
	if c.History == nil {
		c.History = NewRingHistory(c.HistorySize, c.HistoryAge)
	}
	if c.ResumeWindow <= 0 {
		c.ResumeWindow = 30 * time.Second
	}
	if c.Compile == nil {
		c.Compile = CompileGROQ
	}
}

func (c *Config) setSocketDefaults() {
	if c.MaxSocketsPerUser == 0 {
		c.MaxSocketsPerUser = 256
	}
	if c.MaxSocketsPerAddr == 0 {
		c.MaxSocketsPerAddr = 1024
	}
}

// Hub holds every dataset of one process. It is safe for concurrent use.
type Hub struct {
	cfg    Config
	nextID atomic.Uint64
	// live counts clients whose transport has not reported Closed yet.
	live atomic.Int64
	// expiries closes clients when their token expires.
	expiries expiries

	mu       sync.Mutex
	datasets map[string]*dataset
	closed   bool
	sockets  int
	perUser  map[string]int
	perAddr  map[string]int
}

// New returns a Hub configured by cfg.
func New(cfg Config) *Hub {
	cfg.setDefaults()
	return &Hub{cfg: cfg, datasets: make(map[string]*dataset), perUser: make(map[string]int), perAddr: make(map[string]int)}
}

// Epoch returns the name of this hub's event history.
func (h *Hub) Epoch() string { return h.cfg.Epoch }

// dataset returns the named dataset, creating it on first use.
func (h *Hub) dataset(name string) *dataset {
	h.mu.Lock()
	defer h.mu.Unlock()
	ds, ok := h.datasets[name]
	if !ok {
		ds = newDataset(name)
		h.datasets[name] = ds
	}
	return ds
}

func (h *Hub) newClientID() string {
	return h.cfg.Epoch + "-" + strconv.FormatUint(h.nextID.Add(1), 36)
}

// allDatasets returns the datasets known now, to be walked without h.mu.
func (h *Hub) allDatasets() []*dataset {
	h.mu.Lock()
	defer h.mu.Unlock()
	sets := make([]*dataset, 0, len(h.datasets))
	for _, ds := range h.datasets {
		sets = append(sets, ds)
	}
	return sets
}

// Close asks every connected client to close with code and reason. Clients
// that connect afterwards are refused.
func (h *Hub) Close(code uint16, reason string) {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	for _, ds := range h.allDatasets() {
		ds.mu.RLock()
		for c := range ds.clients {
			c.kick(code, reason)
		}
		ds.mu.RUnlock()
	}
}

// Shutdown closes every client like Close and waits, until ctx is done, for
// their transports to report Closed (after the close frame is written), so
// that a stopping server sends every socket its close code.
func (h *Hub) Shutdown(ctx context.Context, code uint16, reason string) error {
	h.Close(code, reason)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for h.live.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// Stats is a point-in-time count of what the hub holds.
type Stats struct {
	Datasets      int
	Clients       int
	Subscriptions int
	Present       int // documents with at least one user present
}

// Stats counts clients, subscriptions and presence across datasets.
func (h *Hub) Stats() Stats {
	sets := h.allDatasets()
	s := Stats{Datasets: len(sets)}
	for _, ds := range sets {
		ds.mu.RLock()
		s.Clients += len(ds.clients)
		s.Subscriptions += ds.subs.count
		s.Present += len(ds.presence)
		ds.mu.RUnlock()
	}
	return s
}
