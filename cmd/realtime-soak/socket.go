package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// tokenVia is how a socket hands its token to the server; the three ways
// the README documents are all exercised.
type tokenVia int

const (
	viaQuery       tokenVia = iota // ?token=
	viaHeader                      // Authorization: Bearer
	viaSubprotocol                 // Sec-WebSocket-Protocol: cellcms, bearer.TOKEN
	tokenVias
)

// socket is one client WebSocket, used by a single goroutine at a time.
type socket struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

// dial opens a socket to url from source address src.
func dial(ctx context.Context, url, token string, via tokenVia, src net.IP) (*socket, error) {
	d := ws.Dialer{
		Timeout: 30 * time.Second,
		NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			nd := net.Dialer{LocalAddr: &net.TCPAddr{IP: src}}
			return nd.DialContext(ctx, network, addr)
		},
	}
	switch via {
	case viaQuery:
		url += "?token=" + token
	case viaHeader:
		d.Header = ws.HandshakeHeaderHTTP(http.Header{"Authorization": {"Bearer " + token}})
	case viaSubprotocol:
		d.Protocols = []string{"cellcms", "bearer." + token}
	}
	conn, br, _, err := d.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	s := &socket{conn: conn, r: br}
	if s.r == nil {
		s.r = bufio.NewReaderSize(conn, 4096)
	}
	return s, nil
}

// closeError is the server's close frame.
type closeError struct {
	code   ws.StatusCode
	reason string
}

func (e *closeError) Error() string {
	return fmt.Sprintf("closed by the server: %d %s", e.code, e.reason)
}

// next returns the next text message, answering pings on the way. The
// message is valid until the following call.
func (s *socket) next() ([]byte, error) {
	for {
		hdr, err := ws.ReadHeader(s.r)
		if err != nil {
			return nil, err
		}
		if int64(cap(s.buf)) < hdr.Length {
			s.buf = make([]byte, hdr.Length)
		}
		payload := s.buf[:hdr.Length]
		if _, err := io.ReadFull(s.r, payload); err != nil {
			return nil, err
		}
		switch hdr.OpCode {
		case ws.OpPing:
			if err := wsutil.WriteClientMessage(s.conn, ws.OpPong, payload); err != nil {
				return nil, err
			}
		case ws.OpClose:
			code, reason := ws.ParseCloseFrameData(payload)
			return nil, &closeError{code: code, reason: reason}
		case ws.OpText:
			return payload, nil
		}
	}
}

// await reads messages until one of type typ; an error message fails.
func (s *socket) await(typ string) error {
	want := []byte(`"type":"` + typ + `"`)
	for {
		msg, err := s.next()
		if err != nil {
			return err
		}
		if bytes.Contains(msg, want) {
			return nil
		}
		if bytes.Contains(msg, []byte(`"type":"error"`)) {
			return fmt.Errorf("awaiting %s: %s", typ, msg)
		}
	}
}

func (s *socket) send(msg []byte) error {
	return wsutil.WriteClientMessage(s.conn, ws.OpText, msg)
}

// closeNormally sends a close frame and ends the connection, as a browser
// closing a tab does.
func (s *socket) closeNormally() {
	_ = s.conn.SetWriteDeadline(time.Now().Add(time.Second))
	_ = ws.WriteFrame(s.conn, ws.MaskFrameInPlace(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, ""))))
	_ = s.conn.Close()
}

// isTimeout reports whether err is a read deadline passing.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
