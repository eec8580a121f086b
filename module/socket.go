package module

import (
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/gobwas/ws"
	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/transport"
)

// serveSocket upgrades the request, authenticates the token and hands the
// socket to the hub. It returns as soon as the socket is handed over (to
// the poller, or to a reading goroutine), so that a reload never waits on
// it. It returns the status the client was answered with, or an error for a
// refusal not yet answered.
func (h *Handler) serveSocket(w http.ResponseWriter, r *http.Request) (int, error) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		w.Header().Set("Upgrade", "websocket")
		return 0, caddyhttp.Error(http.StatusUpgradeRequired, errors.New("this path serves a WebSocket"))
	}
	if !h.origins.allows(r) {
		return 0, caddyhttp.Error(http.StatusForbidden, errors.New("origin not allowed; add it to allowed_origins"))
	}
	token, viaProtocol := requestToken(r)
	upgrader := ws.HTTPUpgrader{}
	if viaProtocol {
		// The browser offered [Subprotocol, "bearer.<token>"]: answer with
		// the protocol name, never the token.
		upgrader.Protocol = func(p string) bool { return p == Subprotocol }
	}
	// Upgrade on the innermost writer: the connection Caddy's response
	// recorder hands out counts bytes for the access log, which reads the
	// count as soon as this handler returns, while the socket goes on
	// writing from its own goroutine.
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	conn, rw, _, err := upgrader.Upgrade(r, w)
	if err != nil {
		h.logger.Debug("websocket upgrade failed", zap.Error(err))
		if conn != nil {
			_ = conn.Close()
		}
		// The upgrader answered the handshake's error itself.
		status := http.StatusBadRequest
		if rejected, ok := errors.AsType[*ws.ConnectionRejectedError](err); ok {
			status = rejected.StatusCode()
		}
		return status, nil
	}
	_ = conn.SetDeadline(time.Time{})
	var reader io.Reader = conn
	if rw != nil && rw.Reader.Buffered() > 0 {
		reader = rw.Reader
	}

	client, why, err := h.admit(r, token, resumePoint(r.URL.Query()), true)
	switch why {
	case unauthorized:
		transport.Reject(conn, hub.CloseUnauthorized, "unauthorized")
		return http.StatusSwitchingProtocols, nil
	case forbidden:
		transport.Reject(conn, hub.CloseForbidden, "dataset not allowed by the token")
		return http.StatusSwitchingProtocols, nil
	case overLimit:
		transport.Reject(conn, hub.CloseTryLater, strings.TrimPrefix(err.Error(), "hub: "))
		return http.StatusSwitchingProtocols, nil
	case closing:
		transport.Reject(conn, hub.CloseGoingAway, "server shutting down")
		return http.StatusSwitchingProtocols, nil
	}
	transport.Serve(conn, reader, client, h.transport)
	return http.StatusSwitchingProtocols, nil
}

// Subprotocol is the WebSocket subprotocol a browser names when it passes
// its token as a second subprotocol entry, "bearer.<token>" (browsers cannot
// set headers on a WebSocket).
const Subprotocol = "cellcms"

// requestToken finds the socket's token: the token query parameter, an
// Authorization: Bearer header, or a "bearer.<token>" subprotocol entry.
func requestToken(r *http.Request) (token string, viaProtocol bool) {
	if t := r.URL.Query().Get("token"); t != "" {
		return t, false
	}
	if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:]), false
	}
	for _, line := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(line, ",") {
			if t, ok := strings.CutPrefix(strings.TrimSpace(p), "bearer."); ok && t != "" {
				return t, true
			}
		}
	}
	return "", false
}

// resumePoint reads since=SEQ&epoch=E. A since that is not a number still
// asks to resume, from nothing the server can serve, so the client is sent
// reset.
func resumePoint(q url.Values) *hub.ResumeFrom {
	since := q.Get("since")
	if since == "" {
		return nil
	}
	n, err := strconv.ParseUint(since, 10, 64)
	if err != nil {
		return &hub.ResumeFrom{Since: math.MaxUint64, Epoch: q.Get("epoch")}
	}
	return &hub.ResumeFrom{Since: n, Epoch: q.Get("epoch")}
}

// clientIP is the client's address as Caddy determined it (honouring
// trusted_proxies), else the connection's remote host.
func clientIP(r *http.Request) string {
	if ip, ok := caddyhttp.GetVar(r.Context(), caddyhttp.ClientIPVarKey).(string); ok && ip != "" {
		return ip
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
