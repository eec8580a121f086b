package transport

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

var pingFrame = ws.MustCompileFrame(ws.NewPingFrame(nil))

// heartbeat pings and expires every socket served with the same Options
// from one goroutine, instead of a timer per socket: every eighth of a ping
// interval it pings the sockets last pinged an interval ago and closes
// those that sent nothing for PingInterval + PongTimeout. A socket's first
// ping comes at a random time in the second half of its first interval, so
// that sockets connected together are not all pinged in one burst, which
// would delay the events written meanwhile. The goroutine exits when its
// last socket leaves.
type heartbeat struct {
	opts Options

	mu    sync.Mutex
	conns map[*conn]struct{}
}

var heartbeats = struct {
	sync.Mutex
	m map[Options]*heartbeat
}{m: make(map[Options]*heartbeat)}

// joinHeartbeat adds c to the heartbeat of opts, starting it if need be.
func joinHeartbeat(c *conn, opts Options) *heartbeat {
	half := opts.PingInterval / 2
	c.nextPing = time.Now().Add(half + rand.N(half+1)).UnixNano()
	heartbeats.Lock()
	defer heartbeats.Unlock()
	hb := heartbeats.m[opts]
	if hb == nil {
		hb = &heartbeat{opts: opts, conns: make(map[*conn]struct{})}
		heartbeats.m[opts] = hb
		go hb.run()
	}
	hb.mu.Lock()
	hb.conns[c] = struct{}{}
	hb.mu.Unlock()
	return hb
}

// leave removes c; it is idempotent.
func (hb *heartbeat) leave(c *conn) {
	hb.mu.Lock()
	delete(hb.conns, c)
	hb.mu.Unlock()
}

func (hb *heartbeat) run() {
	period := max(hb.opts.PingInterval/8, time.Millisecond)
	tick := time.NewTicker(period)
	defer tick.Stop()
	var due []*conn
	for now := range tick.C {
		var stop bool
		due, stop = hb.sweep(due[:0], now, period)
		if stop {
			return
		}
		clear(due)
	}
}

// sweep pings or expires the sockets due at now. It reports stop, with the
// heartbeat unregistered, when no socket is left.
func (hb *heartbeat) sweep(due []*conn, now time.Time, period time.Duration) ([]*conn, bool) {
	heartbeats.Lock()
	hb.mu.Lock()
	if len(hb.conns) == 0 {
		delete(heartbeats.m, hb.opts)
		hb.mu.Unlock()
		heartbeats.Unlock()
		return due, true
	}
	heartbeats.Unlock()
	t := now.UnixNano()
	// A socket is pinged at the first sweep no more than half a period
	// before it is due, so that pings come every PingInterval.
	pingBy := t + int64(period/2)
	idleSince := t - int64(hb.opts.PingInterval+hb.opts.PongTimeout)
	for c := range hb.conns {
		if c.lastRead.Load() < idleSince || c.nextPing <= pingBy {
			due = append(due, c)
		}
	}
	hb.mu.Unlock()
	// Writes and kicks happen outside the lock: new sockets need not wait.
	for _, c := range due {
		if c.lastRead.Load() < idleSince {
			c.client.Kick(hub.CloseGoingAway, "")
			continue
		}
		c.nextPing = t + int64(hb.opts.PingInterval)
		c.client.Send(pingFrame)
	}
	return due, false
}
