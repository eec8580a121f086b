package wsclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// serve starts a WebSocket server that runs script on the one connection it
// accepts, and returns a client connected to it from src (nil: any).
func serve(t *testing.T, src net.IP, script func(net.Conn)) *Conn {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	go func() {
		defer close(done)
		nc, err := l.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		if _, err := ws.Upgrade(nc); err != nil {
			t.Errorf("server: upgrade: %v", err)
			return
		}
		script(nc)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := ws.Dialer{}
	if src != nil {
		d.NetDial = From(src)
	}
	c, err := Dial(ctx, d, "ws://"+l.Addr().String()+"/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// write sends server frames, failing the test on error.
func write(t *testing.T, nc net.Conn, frames ...ws.Frame) {
	for _, f := range frames {
		if err := ws.WriteFrame(nc, f); err != nil {
			t.Errorf("server: write: %v", err)
		}
	}
}

// read returns the next client frame, unmasked, failing the test unless it
// was masked.
func read(t *testing.T, nc net.Conn) ws.Frame {
	f, err := readFrame(nc)
	if err != nil {
		t.Errorf("server: read: %v", err)
		return f
	}
	if !f.Header.Masked {
		t.Errorf("server: client frame %v is not masked", f.Header.OpCode)
	}
	return ws.UnmaskFrameInPlace(f)
}

// readFrame reads one frame of at most 125 bytes, what the tests' clients
// send.
func readFrame(r io.Reader) (ws.Frame, error) {
	h, err := ws.ReadHeader(r)
	if err != nil {
		return ws.Frame{}, err
	}
	if h.Length > ws.MaxControlFramePayloadSize {
		return ws.Frame{}, fmt.Errorf("frame of %d bytes", h.Length)
	}
	f := ws.Frame{Header: h, Payload: make([]byte, h.Length)}
	_, err = io.ReadFull(r, f.Payload)
	return f, err
}

// next is c.Next with a deadline, failing the test on error.
func next(t *testing.T, c *Conn) (string, ws.OpCode) {
	t.Helper()
	_ = c.NetConn().SetReadDeadline(time.Now().Add(10 * time.Second))
	msg, op, err := c.Next()
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return string(msg), op
}

func TestNextAnswersPingsAndReassemblesFragments(t *testing.T) {
	pong := make(chan ws.Frame, 1)
	c := serve(t, nil, func(nc net.Conn) {
		write(t, nc,
			ws.NewPingFrame([]byte("are you there")),
			ws.NewFrame(ws.OpText, false, []byte(`{"type":`)),
			ws.NewPingFrame(nil),
			ws.NewFrame(ws.OpContinuation, false, []byte(`"mutation",`)),
			ws.NewFrame(ws.OpContinuation, true, []byte(`"seq":1}`)),
			ws.NewBinaryFrame([]byte{0, 1, 2}),
		)
		pong <- read(t, nc)
		read(t, nc) // the second pong
	})
	if msg, op := next(t, c); msg != `{"type":"mutation","seq":1}` || op != ws.OpText {
		t.Errorf("Next = %q %v, want the reassembled text message", msg, op)
	}
	if msg, op := next(t, c); msg != "\x00\x01\x02" || op != ws.OpBinary {
		t.Errorf("Next = %q %v, want the binary message", msg, op)
	}
	if f := <-pong; f.Header.OpCode != ws.OpPong || string(f.Payload) != "are you there" {
		t.Errorf("answer to the ping: %v %q, want a pong with its payload", f.Header.OpCode, f.Payload)
	}
}

func TestNextEchoesTheClose(t *testing.T) {
	echo := make(chan ws.Frame, 1)
	c := serve(t, nil, func(nc net.Conn) {
		write(t, nc, ws.NewCloseFrame(ws.NewCloseFrameBody(4001, "token expired")))
		echo <- read(t, nc)
	})
	_, _, err := c.Next()
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 4001 || ce.Reason != "token expired" {
		t.Fatalf("Next = %v, want close 4001 token expired", err)
	}
	f := <-echo
	if code, _ := ws.ParseCloseFrameData(f.Payload); f.Header.OpCode != ws.OpClose || code != 4001 {
		t.Errorf("echo: %v %q, want close 4001", f.Header.OpCode, f.Payload)
	}
}

func TestNextRefusesWhatAServerMustNotSend(t *testing.T) {
	for name, tc := range map[string]struct {
		frame ws.Frame
		want  error
	}{
		"masked frame":       {ws.MaskFrame(ws.NewTextFrame([]byte("hi"))), ws.ErrProtocolMaskUnexpected},
		"invalid UTF-8":      {ws.NewTextFrame([]byte{0xff, 0xfe}), ws.ErrProtocolInvalidUTF8},
		"continuation first": {ws.NewFrame(ws.OpContinuation, true, []byte("x")), ws.ErrProtocolContinuationUnexpected},
		"close code 1005":    {ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNoStatusRcvd, "")), ws.ErrProtocolStatusCodeApplicationLevel},
	} {
		t.Run(name, func(t *testing.T) {
			c := serve(t, nil, func(nc net.Conn) {
				write(t, nc, tc.frame)
				_, _ = readFrame(nc) // the close a refused close frame gets
			})
			_ = c.NetConn().SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, _, err := c.Next(); !errors.Is(err, tc.want) {
				t.Errorf("Next = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNextRefusesAnOversizedMessage(t *testing.T) {
	c := serve(t, nil, func(nc net.Conn) {
		_ = ws.WriteHeader(nc, ws.Header{Fin: true, OpCode: ws.OpBinary, Length: maxMessage + 1})
	})
	_ = c.NetConn().SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := c.Next(); !errors.Is(err, errTooLarge) {
		t.Errorf("Next = %v, want %v", err, errTooLarge)
	}
}

func TestSendDoesNotModifyItsMessage(t *testing.T) {
	got := make(chan ws.Frame, 1)
	c := serve(t, nil, func(nc net.Conn) { got <- read(t, nc) })
	msg := []byte(`{"type":"ping"}`)
	if err := c.Send(msg); err != nil {
		t.Fatal(err)
	}
	if string(msg) != `{"type":"ping"}` {
		t.Errorf("Send changed its message to %q", msg)
	}
	if f := <-got; f.Header.OpCode != ws.OpText || string(f.Payload) != `{"type":"ping"}` {
		t.Errorf("server read %v %q", f.Header.OpCode, f.Payload)
	}
}

// TestSendWhileNextAnswersPings checks that frames written from two
// goroutines never interleave.
func TestSendWhileNextAnswersPings(t *testing.T) {
	const n = 200
	bad := make(chan string, 2*n)
	c := serve(t, nil, func(nc net.Conn) {
		go func() {
			for range n {
				write(t, nc, ws.NewPingFrame([]byte("ping")))
			}
			write(t, nc, ws.NewTextFrame([]byte("done")))
		}()
		for range 2 * n {
			f := read(t, nc)
			if (f.Header.OpCode != ws.OpPong || string(f.Payload) != "ping") && (f.Header.OpCode != ws.OpText || string(f.Payload) != "hello") {
				bad <- fmt.Sprintf("%v %q", f.Header.OpCode, f.Payload)
			}
		}
		close(bad)
	})
	var wg sync.WaitGroup
	wg.Go(func() {
		for range n {
			if err := c.Send([]byte("hello")); err != nil {
				t.Errorf("Send: %v", err)
				return
			}
		}
	})
	if msg, _ := next(t, c); msg != "done" {
		t.Errorf("Next = %q, want done", msg)
	}
	wg.Wait()
	for f := range bad {
		t.Errorf("server read a frame that is neither pong nor hello: %s", f)
	}
}

func TestCloseNormallySendsACloseFrame(t *testing.T) {
	got := make(chan ws.Frame, 1)
	c := serve(t, nil, func(nc net.Conn) { got <- read(t, nc) })
	if err := c.CloseNormally(); err != nil {
		t.Fatal(err)
	}
	f := <-got
	if code, _ := ws.ParseCloseFrameData(f.Payload); f.Header.OpCode != ws.OpClose || code != ws.StatusNormalClosure {
		t.Errorf("server read %v %q, want close 1000", f.Header.OpCode, f.Payload)
	}
}

func TestFromDialsFromTheSourceAddress(t *testing.T) {
	remote := make(chan string, 1)
	serve(t, net.IPv4(127, 0, 0, 2), func(nc net.Conn) { remote <- nc.RemoteAddr().String() })
	if addr := <-remote; !strings.HasPrefix(addr, "127.0.0.2:") {
		t.Errorf("the server saw the client at %s, want 127.0.0.2", addr)
	}
}
