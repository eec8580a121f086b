package transport

import (
	"bufio"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// conn is one socket served to a hub.Client: the client's Wire, and the
// state its reading and heartbeat need.
type conn struct {
	nc     net.Conn
	raw    syscall.RawConn // nil: not a plain TCP socket (TLS, pipes), written and read by goroutines
	client *hub.Client
	beat   *heartbeat

	// The inline write in progress (the hub makes at most one at a time);
	// writeFn is made once so that a write allocates nothing.
	p       []byte
	n       int
	err     error
	writeFn func(fd uintptr) bool

	// lastRead is when the socket last delivered input (Unix nanoseconds);
	// nextPing when the heartbeat pings it next (heartbeat's goroutine only).
	lastRead atomic.Int64
	nextPing int64

	frames frameReader
	polled *polled // the poller's state; nil when a goroutine reads

	mu       sync.Mutex
	readDone bool          // the input ended (close frame, EOF or failure)
	readWait chan struct{} // made by a closing writer waiting for readDone
}

// Serve runs client over nc until either side closes it. r reads the
// connection (it may hold bytes buffered during the handshake). Serve
// returns at once: on Linux a plain TCP socket is read by a shared poller
// when it has input, anything else by a goroutine of its own; the hub
// writes to it from the goroutines that send, or from a writer started
// when the socket does not take a frame at once.
func Serve(nc net.Conn, r io.Reader, client *hub.Client, opts Options) {
	serve(nc, r, client, opts)
}

func serve(nc net.Conn, r io.Reader, client *hub.Client, opts Options) *conn {
	opts.setDefaults()
	c := &conn{nc: nc, client: client, frames: frameReader{max: opts.MaxMessage}}
	c.lastRead.Store(time.Now().UnixNano())
	// Only a plain TCP connection: a wrapper that offers its descriptor may
	// still transform what is read and written (TLS does not offer it).
	if tc, ok := nc.(*net.TCPConn); ok {
		if raw, err := tc.SyscallConn(); err == nil {
			c.raw = raw
			c.writeFn = c.writeNow
		}
	}
	c.beat = joinHeartbeat(c, opts)
	if pending, ok := handshakeLeftover(nc, r); ok && c.raw != nil && pollable() {
		c.polled = newPolled(pending)
	}
	client.Attach(c)
	if c.polled != nil {
		startPolling(c)
	} else {
		go c.readLoop(r)
	}
	return c
}

// handshakeLeftover returns what r holds beyond the connection itself: the
// bytes read ahead during the handshake. ok is false when r is some other
// reader, which only a goroutine can read.
func handshakeLeftover(nc net.Conn, r io.Reader) (pending []byte, ok bool) {
	switch r := r.(type) {
	case net.Conn:
		return nil, r == nc
	case *bufio.Reader:
		n := r.Buffered()
		b, _ := r.Peek(n)
		return append([]byte(nil), b...), true
	}
	return nil, false
}

// endRead records that the input ended and wakes a closing writer waiting
// for it.
func (c *conn) endRead() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDone = true
	if c.readWait != nil {
		close(c.readWait)
		c.readWait = nil
	}
}

// awaitRead waits until the input ended or d passed.
func (c *conn) awaitRead(d time.Duration) {
	c.mu.Lock()
	if c.readDone {
		c.mu.Unlock()
		return
	}
	if c.readWait == nil {
		c.readWait = make(chan struct{})
	}
	wait := c.readWait
	c.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-wait:
	case <-t.C:
	}
}

// Reject closes a freshly upgraded connection with code and reason, for a
// socket refused before it reaches the hub (bad token, dataset not allowed).
func Reject(conn net.Conn, code uint16, reason string) {
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Write(closeFrame(code, reason))
	_ = conn.Close()
}

func closeFrame(code uint16, reason string) []byte {
	if len(reason) > 120 {
		reason = reason[:120]
	}
	return ws.MustCompileFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusCode(code), reason)))
}
