//go:build linux

package transport

import (
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"golang.org/x/sys/unix"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// polled is the reading state of a socket the poller reads.
type polled struct {
	id      uint64 // the socket's key in the poller, carried by its epoll events
	pending []byte // an incomplete frame; kept only while incomplete
	discard bool   // the client was kicked: input is dropped until it ends
	removed bool   // no longer in the poller; guarded by conn.mu
}

// poller reads every plain TCP socket of the process from one epoll set: a
// goroutine waits for readable sockets and hands each to a small, bounded
// pool of workers, which read what is there without blocking and hand the
// messages to the hub. An idle socket costs no goroutine. Each socket is
// armed one-shot, so that one worker at a time reads it, and re-armed once
// that worker is done.
type poller struct {
	epfd int
	work chan *conn

	mu    sync.Mutex
	conns map[uint64]*conn
	next  uint64
}

// thePoller is the process's poller, started on first use; nil when epoll
// is unavailable.
var thePoller = sync.OnceValue(func() *poller {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	p := &poller{epfd: epfd, work: make(chan *conn, 1024), conns: make(map[uint64]*conn)}
	for range max(2, runtime.GOMAXPROCS(0)) {
		go p.worker()
	}
	go p.wait()
	return p
})

// pollable reports whether sockets can be read by the poller.
func pollable() bool { return thePoller() != nil }

// newPolled is the state of a socket about to be polled whose handshake
// read pending ahead.
func newPolled(pending []byte) *polled { return &polled{pending: pending} }

// startPolling handles what the handshake read ahead, then adds c to the
// poller.
func startPolling(c *conn) {
	p := thePoller()
	st := c.polled
	if pending := st.pending; len(pending) > 0 {
		st.pending = nil
		if !c.input(pending) {
			return
		}
	}
	c.mu.Lock()
	err := errClosed
	if !st.removed { // not closed already while the read-ahead was handled
		p.mu.Lock()
		p.next++
		st.id = p.next
		p.conns[st.id] = c
		p.mu.Unlock()
		if err = p.ctl(c, unix.EPOLL_CTL_ADD); err != nil {
			p.forget(st.id)
		}
	}
	c.mu.Unlock()
	if err != nil {
		c.client.Kick(1011, "internal error")
		c.inputEnded()
	}
}

var errClosed = errors.New("connection closed")

// unpoll removes c from the poller before its connection is closed; it is
// idempotent.
func unpoll(c *conn) {
	p := thePoller()
	st := c.polled
	c.mu.Lock()
	if st.removed {
		c.mu.Unlock()
		return
	}
	st.removed = true
	if st.id != 0 {
		_ = p.ctl(c, unix.EPOLL_CTL_DEL)
		p.forget(st.id)
	}
	c.mu.Unlock()
}

func (p *poller) forget(id uint64) {
	p.mu.Lock()
	delete(p.conns, id)
	p.mu.Unlock()
}

// ctl adds, re-arms or removes c's descriptor, under the connection's own
// reference to it (so that it cannot be closed and reused meanwhile).
func (p *poller) ctl(c *conn, op int) error {
	var err error
	cerr := c.raw.Control(func(fd uintptr) {
		ev := unix.EpollEvent{
			Events: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLONESHOT,
			Fd:     int32(uint32(c.polled.id)),
			Pad:    int32(uint32(c.polled.id >> 32)),
		}
		err = unix.EpollCtl(p.epfd, op, int(fd), &ev)
	})
	return errors.Join(cerr, err)
}

// rearm makes c report its next input, unless its input ended or it left.
func (p *poller) rearm(c *conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.polled.removed || c.readDone {
		return
	}
	if err := p.ctl(c, unix.EPOLL_CTL_MOD); err != nil {
		c.client.Kick(1011, "internal error")
	}
}

// wait hands every socket that became readable to the workers.
func (p *poller) wait() {
	events := make([]unix.EpollEvent, 256)
	var ready []*conn
	for {
		n, err := unix.EpollWait(p.epfd, events, -1)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			panic("transport: epoll_wait: " + err.Error())
		}
		p.mu.Lock()
		for _, ev := range events[:n] {
			if c := p.conns[uint64(uint32(ev.Fd))|uint64(uint32(ev.Pad))<<32]; c != nil {
				ready = append(ready, c)
			}
		}
		p.mu.Unlock()
		for _, c := range ready {
			p.work <- c
		}
		clear(ready)
		ready = ready[:0]
	}
}

// reader is one worker's buffer and the read that fills it, made once so
// that reading allocates nothing.
type reader struct {
	buf    []byte
	n      int
	err    error
	readFn func(fd uintptr) bool
}

func (r *reader) readNow(fd uintptr) bool {
	r.n, r.err = unix.Read(int(fd), r.buf)
	if r.n < 0 {
		r.n = 0
	}
	return true
}

func (p *poller) worker() {
	r := &reader{buf: make([]byte, 16<<10)}
	r.readFn = r.readNow
	for c := range p.work {
		if c.readAvailable(r) {
			p.rearm(c)
		}
	}
}

// readAvailable reads what c has, a few buffers at most so that one busy
// socket does not hold a worker, and reports whether c is to be read again.
func (c *conn) readAvailable(r *reader) bool {
	for range 4 {
		r.err = nil
		if err := c.raw.Read(r.readFn); err != nil {
			r.n, r.err = 0, err
		}
		n, err := r.n, r.err
		if n > 0 {
			c.lastRead.Store(time.Now().UnixNano())
			if !c.input(r.buf[:n]) {
				return false
			}
		}
		switch {
		case errors.Is(err, unix.EAGAIN), errors.Is(err, unix.EINTR):
			return true
		case err != nil || n == 0:
			c.inputEnded()
			return false
		case n < len(r.buf):
			return true
		}
	}
	return true
}

// input handles bytes read from the socket and reports whether reading goes
// on: whole frames are handled, the rest of the last one kept for the next
// read. A panic while handling them ends this socket only.
func (c *conn) input(data []byte) (goOn bool) {
	st := c.polled
	if st.discard {
		return true
	}
	defer func() {
		if p := recover(); p != nil {
			c.client.Kick(1011, "internal error")
			st.discard, st.pending = true, nil
			goOn = true
		}
	}()
	buf := data
	if len(st.pending) > 0 {
		st.pending = append(st.pending, data...)
		buf = st.pending
	}
	rest, v := c.frameInput(buf)
	switch v {
	case discard:
		st.discard, st.pending = true, nil
		return true
	case end:
		c.inputEnded()
		return false
	}
	switch {
	case len(rest) == 0:
		st.pending = nil
	case len(st.pending) > 0:
		st.pending = st.pending[:copy(st.pending, rest)]
	default:
		st.pending = append(make([]byte, 0, len(rest)+512), rest...)
	}
	return true
}

// frameInput handles the whole frames at the start of buf and returns what
// follows them.
func (c *conn) frameInput(buf []byte) ([]byte, verdict) {
	for {
		h, n, err := parseHeader(buf)
		if err != nil {
			c.client.Kick(hub.CloseGoingAway, "")
			return nil, discard
		}
		if n == 0 {
			return buf, more
		}
		if v := c.frames.check(c.client, h); v != more {
			return nil, v
		}
		if int64(len(buf)-n) < h.Length {
			return buf, more
		}
		payload := buf[n : n+int(h.Length)]
		ws.Cipher(payload, h.Mask, 0)
		buf = buf[n+int(h.Length):]
		if v := c.frames.frame(c.client, h, payload); v != more {
			return nil, v
		}
	}
}

// inputEnded closes the client when its input ends (EOF, failure, or its
// close frame) and wakes a writer waiting for that to close the connection.
func (c *conn) inputEnded() {
	c.client.Kick(hub.CloseGoingAway, "")
	c.polled.pending = nil
	c.endRead()
}
