package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/wsclient"
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
	*wsclient.Conn
}

// dial opens a socket to url from source address src.
func dial(ctx context.Context, url, token string, via tokenVia, src net.IP) (socket, error) {
	d := ws.Dialer{Timeout: 30 * time.Second, NetDial: wsclient.From(src)}
	switch via {
	case viaQuery:
		url += "?token=" + token
	case viaHeader:
		d.Header = ws.HandshakeHeaderHTTP(http.Header{"Authorization": {"Bearer " + token}})
	case viaSubprotocol:
		d.Protocols = []string{"cellcms", "bearer." + token}
	}
	c, err := wsclient.Dial(ctx, d, url)
	return socket{c}, err
}

// await reads messages until one of type typ; an error message fails.
func (s socket) await(typ string) error {
	want := []byte(`"type":"` + typ + `"`)
	for {
		msg, _, err := s.Next()
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

// isTimeout reports whether err is a read deadline passing.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
