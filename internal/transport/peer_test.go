package transport

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// opaque hides a connection's descriptor, as TLS does: such a socket is
// read by a goroutine and written by the on-demand writer only.
type opaque struct{ net.Conn }

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(tb testing.TB) (server, client *net.TCPConn) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		tb.Fatal(err)
	}
	sc := <-accepted
	if sc == nil {
		tb.Fatal("accept failed")
	}
	tb.Cleanup(func() { cc.Close(); sc.Close() })
	return sc.(*net.TCPConn), cc.(*net.TCPConn)
}

var userSeq atomic.Int64

// connectClient attaches a new client of a new user to h.
func connectClient(t *testing.T, h *hub.Hub, limits *hub.Limits) *hub.Client {
	t.Helper()
	c, err := h.Connect(ClientOptions(limits))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	return c
}

// ClientOptions is a fresh user in dataset d.
func ClientOptions(limits *hub.Limits) hub.ClientOptions {
	return hub.ClientOptions{Dataset: "d", User: protocol.User{UserID: fmt.Sprint("u", userSeq.Add(1))}, Limits: limits}
}

// path is one way of serving a socket.
type path struct {
	name   string
	polled bool
	wrap   func(*net.TCPConn) net.Conn
}

var paths = []path{
	{name: "poller", polled: true, wrap: func(c *net.TCPConn) net.Conn { return c }},
	{name: "goroutine", wrap: func(c *net.TCPConn) net.Conn { return opaque{c} }},
}

// peer is the browser's end of a served socket.
type peer struct {
	t    *testing.T
	nc   net.Conn
	r    *bufio.Reader
	conn *conn // the server's end
}

// servePeer serves a new client of h over a loopback socket the way p
// says, and returns the peer with welcome and the snapshot read.
func servePeer(t *testing.T, h *hub.Hub, p path, opts Options, limits *hub.Limits) *peer {
	t.Helper()
	server, client := tcpPair(t)
	// Small buffers (no autotuning) fill after a few frames.
	_ = server.SetWriteBuffer(64 << 10)
	_ = client.SetReadBuffer(64 << 10)
	c := serve(p.wrap(server), p.wrap(server), connectClient(t, h, limits), opts)
	if (c.polled != nil) != p.polled {
		t.Fatalf("%s path: polled = %v", p.name, c.polled != nil)
	}
	pr := &peer{t: t, nc: client, r: bufio.NewReader(client), conn: c}
	pr.expect("welcome")
	pr.expect("presence.snapshot")
	return pr
}

// frame reads the next frame.
func (p *peer) frame(timeout time.Duration) (ws.Header, []byte) {
	p.t.Helper()
	_ = p.nc.SetReadDeadline(time.Now().Add(timeout))
	h, err := ws.ReadHeader(p.r)
	if err != nil {
		p.t.Fatalf("reading a frame header: %v", err)
	}
	if h.Masked || !h.Fin {
		p.t.Fatalf("server frame masked %v, fin %v", h.Masked, h.Fin)
	}
	b := make([]byte, h.Length)
	if _, err := io.ReadFull(p.r, b); err != nil {
		p.t.Fatalf("reading a payload of %d bytes: %v", h.Length, err)
	}
	return h, b
}

// expect reads text messages, skipping pings, until one of type typ, and
// fails on any other.
func (p *peer) expect(typ string) map[string]any {
	p.t.Helper()
	for {
		h, b := p.frame(5 * time.Second)
		if h.OpCode == ws.OpPing {
			continue
		}
		var m map[string]any
		if h.OpCode != ws.OpText || json.Unmarshal(b, &m) != nil {
			p.t.Fatalf("want %s, got opcode %v: %q", typ, h.OpCode, b)
		}
		if m["type"] != typ {
			p.t.Fatalf("want %s, got %s", typ, b)
		}
		return m
	}
}

// expectClose reads until the close frame, skipping other frames, and
// checks its code; then the server must end the connection (EOF).
func (p *peer) expectClose(code uint16, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h, b := p.frame(time.Until(deadline))
		if h.OpCode != ws.OpClose {
			continue
		}
		got, _ := ws.ParseCloseFrameData(b)
		if uint16(got) != code {
			p.t.Fatalf("closed with %d, want %d", got, code)
		}
		break
	}
	_ = p.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, p.r); err != nil {
		p.t.Fatalf("after the close frame: %v, want EOF", err)
	}
}

// clientFrame is a masked frame as a browser sends it.
func clientFrame(op ws.OpCode, fin bool, payload []byte) []byte {
	f := ws.MaskFrameInPlace(ws.NewFrame(op, fin, append([]byte(nil), payload...)))
	b, err := ws.CompileFrame(f)
	if err != nil {
		panic(err)
	}
	return b
}

func (p *peer) write(b []byte) {
	p.t.Helper()
	if _, err := p.nc.Write(b); err != nil {
		p.t.Fatal(err)
	}
}

// trickle writes b in pieces of n bytes with a pause after each, so that
// the server reads them separately.
func (p *peer) trickle(b []byte, n int) {
	p.t.Helper()
	for len(b) > 0 {
		k := min(n, len(b))
		p.write(b[:k])
		b = b[k:]
		time.Sleep(time.Millisecond)
	}
}

func (p *peer) sendText(msg string) { p.write(clientFrame(ws.OpText, true, []byte(msg))) }

// closeNormally closes like a browser: a close frame, then EOF expected.
func (p *peer) closeNormally() {
	p.t.Helper()
	p.write(clientFrame(ws.OpClose, true, ws.NewCloseFrameBody(ws.StatusNormalClosure, "")))
	p.expectClose(1000, 5*time.Second)
}

// goroutinesIn counts the goroutines whose stack runs fn.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), fn+"(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
