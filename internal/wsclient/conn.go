package wsclient

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// readBufferSize is the buffer of a connection whose handshake left none;
// larger messages are read past it.
const readBufferSize = 1024

// maxMessage bounds a message, so that a broken server cannot make a client
// run out of memory; the sidecar's largest messages are far below it.
const maxMessage = 64 << 20

var errTooLarge = fmt.Errorf("wsclient: message over %d bytes", maxMessage)

// closeWriteTimeout bounds the close frame CloseNormally sends.
const closeWriteTimeout = time.Second

// Conn is a client WebSocket connection. Next is for one goroutine at a
// time; Send, CloseNormally and Close may be called from others meanwhile.
type Conn struct {
	nc  net.Conn
	r   *bufio.Reader
	msg []byte                              // the message Next returns, reused
	ctl [ws.MaxControlFramePayloadSize]byte // a control frame's payload

	wmu sync.Mutex   // one frame at a time on nc
	out bytes.Buffer // the frame being written, under wmu
}

// CloseError is the close frame that ended a connection.
type CloseError struct {
	Code   ws.StatusCode
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("closed by the server: %d %s", e.Code, e.Reason)
}

// Dial opens a WebSocket to url with d.
func Dial(ctx context.Context, d ws.Dialer, url string) (*Conn, error) {
	nc, br, _, err := d.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	if br == nil {
		br = bufio.NewReaderSize(nc, readBufferSize)
	}
	return &Conn{nc: nc, r: br}, nil
}

// From returns a ws.Dialer NetDial that connects from local address src,
// so that a client can spread many sockets over 127.x.y.z addresses and
// not run out of ephemeral ports.
func From(src net.IP) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: src}}
	return d.DialContext
}

// NetConn is the underlying connection, for its deadlines.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Next returns the next message and its opcode (ws.OpText or
// ws.OpBinary). On the way it answers pings and, when the server closes,
// echoes its close frame and returns a *CloseError. The message is valid
// until the following call.
func (c *Conn) Next() ([]byte, ws.OpCode, error) {
	c.msg = c.msg[:0]
	state := ws.StateClientSide
	var op ws.OpCode
	for {
		h, err := ws.ReadHeader(c.r)
		if err != nil {
			return nil, 0, err
		}
		if err := ws.CheckHeader(h, state); err != nil {
			return nil, 0, err
		}
		if h.OpCode.IsControl() {
			if err := c.control(h); err != nil {
				return nil, 0, err
			}
			continue
		}
		if h.OpCode != ws.OpContinuation {
			op = h.OpCode
		}
		n := len(c.msg)
		if h.Length > int64(maxMessage-n) {
			return nil, 0, errTooLarge
		}
		c.msg = slices.Grow(c.msg, int(h.Length))[:n+int(h.Length)]
		if _, err := io.ReadFull(c.r, c.msg[n:]); err != nil {
			return nil, 0, err
		}
		if !h.Fin {
			state = state.Set(ws.StateFragmented)
			continue
		}
		if op == ws.OpText && !utf8.Valid(c.msg) {
			return nil, 0, ws.ErrProtocolInvalidUTF8
		}
		return c.msg, op, nil
	}
}

// control handles a control frame whose header has been read.
func (c *Conn) control(h ws.Header) error {
	p := c.ctl[:h.Length]
	if _, err := io.ReadFull(c.r, p); err != nil {
		return err
	}
	switch h.OpCode {
	case ws.OpPing:
		c.reply(ws.OpPong, p)
	case ws.OpClose:
		if len(p) == 0 {
			c.reply(ws.OpClose, nil)
			return &CloseError{Code: ws.StatusNoStatusRcvd}
		}
		code, reason := ws.ParseCloseFrameData(p)
		if err := ws.CheckCloseFrameData(code, reason); err != nil {
			c.reply(ws.OpClose, ws.NewCloseFrameBody(ws.StatusProtocolError, err.Error()))
			return err
		}
		c.reply(ws.OpClose, p[:2])
		return &CloseError{Code: code, Reason: strings.Clone(reason)}
	}
	return nil // a pong
}

// reply answers a control frame, best effort: a server that closed the
// connection right after its close frame cannot read the echo, and failing
// to write it must not hide what was read. The next read says how the
// connection ended.
func (c *Conn) reply(op ws.OpCode, p []byte) {
	_ = c.write(op, p)
}

// Send sends msg as one text frame; msg is not modified.
func (c *Conn) Send(msg []byte) error {
	return c.write(ws.OpText, msg)
}

// write sends one masked frame in a single write.
func (c *Conn) write(op ws.OpCode, p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	h := ws.Header{Fin: true, OpCode: op, Masked: true, Mask: ws.NewMask(), Length: int64(len(p))}
	c.out.Reset()
	if err := ws.WriteHeader(&c.out, h); err != nil {
		return err
	}
	start := c.out.Len()
	c.out.Write(p)
	ws.Cipher(c.out.Bytes()[start:], h.Mask, 0)
	_, err := c.nc.Write(c.out.Bytes())
	return err
}

// CloseNormally sends a close frame (1000, normal closure) and ends the
// connection without waiting for the answer, as a browser closing a tab
// does.
func (c *Conn) CloseNormally() error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(closeWriteTimeout))
	_ = c.write(ws.OpClose, ws.NewCloseFrameBody(ws.StatusNormalClosure, ""))
	return c.nc.Close()
}

// Close ends the connection without a close frame, as a lost network does.
func (c *Conn) Close() error {
	return c.nc.Close()
}
