package transport

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// TryWrite writes what the socket's kernel buffer takes of p now, with one
// non-blocking write(2) on the descriptor Go already made non-blocking. A
// socket without a raw descriptor takes nothing this way.
func (c *conn) TryWrite(p []byte) (int, error) {
	if c.raw == nil {
		return 0, nil
	}
	c.p = p
	err := c.raw.Write(c.writeFn)
	n, werr := c.n, c.err
	c.p, c.err = nil, nil
	if err != nil {
		return 0, err
	}
	return n, werr
}

// writeNow is the body of TryWrite's raw write: it never waits for the
// socket to become writable.
func (c *conn) writeNow(fd uintptr) bool {
	n, err := syscall.Write(int(fd), c.p)
	switch {
	case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EINTR):
		n, err = 0, nil
	case n < 0:
		n = 0
	}
	c.n, c.err = n, err
	return true
}

// Write writes frames with one vectored write, blocking at most the write
// timeout.
func (c *conn) Write(frames [][]byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.beat.opts.WriteTimeout))
	bufs := net.Buffers(frames)
	_, err := bufs.WriteTo(c.nc)
	// Inline writes go through the same descriptor and would fail on a
	// deadline left in the past.
	_ = c.nc.SetWriteDeadline(time.Time{})
	return err
}

// Close writes last and the close frame (a second for both), then ends the
// connection gracefully: it half-closes the write side, gives the reader a
// moment to consume what the client still sends (its close reply, or the
// rest of an oversized frame), and only then closes. Closing with unread
// input would make the kernel answer with a reset, and the client could
// lose the close frame.
func (c *conn) Close(last [][]byte, code uint16, reason string) {
	c.beat.leave(c)
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	bufs := net.Buffers(append(last, closeFrame(code, reason)))
	if _, err := bufs.WriteTo(c.nc); err != nil {
		c.Abort()
		return
	}
	if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	if c.polled == nil {
		// The reading goroutine is blocked in a read: let it end.
		_ = c.nc.SetReadDeadline(time.Now().Add(time.Second))
		c.awaitRead(2 * time.Second)
	} else {
		c.awaitRead(time.Second)
	}
	c.Abort()
}

// Abort ends the connection at once.
func (c *conn) Abort() {
	c.beat.leave(c)
	if c.polled != nil {
		unpoll(c)
	}
	_ = c.nc.Close()
}
