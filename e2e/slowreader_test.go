package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// slowReader is a WebSocket client that reads only when the test says so,
// as a browser tab that stopped reading does. Its kernel receive buffer is
// kept small, so that what the server sends piles up in the server's queue
// rather than in loopback buffers.
type slowReader struct {
	conn net.Conn
	r    *bufio.Reader
}

// dialSlowReader opens a WebSocket to url with a 4 KiB receive buffer.
func dialSlowReader(t *testing.T, url string) *slowReader {
	t.Helper()
	d := ws.Dialer{NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
			})
			return errors.Join(err, serr)
		}}
		return nd.DialContext(ctx, network, addr)
	}}
	ctx, cancel := context.WithTimeout(context.Background(), waitMessage)
	defer cancel()
	conn, br, _, err := d.Dial(ctx, url)
	if err != nil {
		t.Fatalf("slow reader: dial %s: %v", redactToken(url), err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &slowReader{conn: conn, r: br}
	if s.r == nil {
		s.r = bufio.NewReader(conn)
	}
	return s
}

func (s *slowReader) send(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := wsutil.WriteClientText(s.conn, b); err != nil {
		t.Fatalf("slow reader: send: %v", err)
	}
}

// await reads messages until one of type typ arrives, within waitMessage.
func (s *slowReader) await(t *testing.T, typ string) {
	t.Helper()
	_ = s.conn.SetReadDeadline(time.Now().Add(waitMessage))
	defer s.conn.SetReadDeadline(time.Time{})
	for {
		data, _, err := wsutil.ReadServerData(struct {
			io.Reader
			io.Writer
		}{s.r, s.conn})
		if err != nil {
			t.Fatalf("slow reader: want %s: %v", typ, err)
		}
		var m struct{ Type string }
		if json.Unmarshal(data, &m) == nil && m.Type == typ {
			return
		}
	}
}

// expectClosedBy reads whatever the server sent and fails the test unless
// the connection ends within timeout: with a close frame of code, or cut.
// A server that gave up writing to a socket that does not read may have
// cut the stream in the middle of a frame; what follows is then not framed,
// and only the end of the stream is checked.
func (s *slowReader) expectClosedBy(t *testing.T, code ws.StatusCode, timeout time.Duration) {
	t.Helper()
	_ = s.conn.SetReadDeadline(time.Now().Add(timeout))
	frames := 0
	for {
		hdr, err := ws.ReadHeader(s.r)
		var payload []byte
		if err == nil {
			payload, err = io.ReadAll(io.LimitReader(s.r, hdr.Length))
		}
		if err != nil {
			s.expectEnd(t, err, timeout, fmt.Sprintf("after %d whole frames, no close frame", frames))
			return
		}
		switch {
		case hdr.OpCode == ws.OpClose:
			got, reason := ws.ParseCloseFrameData(payload)
			if got != code {
				t.Errorf("slow reader: closed with %d %q, want %d", got, reason, code)
			}
			return
		case hdr.OpCode != ws.OpText || !json.Valid(payload):
			// Not a frame the server sends: the previous one was cut short.
			_, err := io.Copy(io.Discard, s.r)
			s.expectEnd(t, err, timeout, fmt.Sprintf("cut in the middle of frame %d", frames+1))
			return
		}
		frames++
	}
}

// expectEnd fails the test if err is the read deadline passing rather than
// the end of the stream.
func (s *slowReader) expectEnd(t *testing.T, err error, timeout time.Duration, how string) {
	t.Helper()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("slow reader: connection still open %v after the server should have closed it (%s)", timeout, how)
	}
	t.Logf("slow reader: connection ended %s (%v)", how, err)
}
