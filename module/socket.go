package module

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/gobwas/ws"
	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/transport"
)

// serveSocket upgrades the request, authenticates the token and hands the
// socket to the hub. It returns as soon as the socket runs on its own
// goroutines, so that a reload never waits on it.
func (h *Handler) serveSocket(w http.ResponseWriter, r *http.Request) error {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		w.Header().Set("Upgrade", "websocket")
		return caddyhttp.Error(http.StatusUpgradeRequired, errors.New("this path serves a WebSocket"))
	}
	if !h.origins.allows(r) {
		return caddyhttp.Error(http.StatusForbidden, errors.New("origin not allowed; add it to allowed_origins"))
	}
	conn, rw, _, err := ws.HTTPUpgrader{}.Upgrade(r, w)
	if err != nil {
		h.logger.Debug("websocket upgrade failed", zap.Error(err))
		if conn != nil {
			_ = conn.Close()
		}
		return nil
	}
	_ = conn.SetDeadline(time.Time{})
	var reader io.Reader = conn
	if rw != nil && rw.Reader.Buffered() > 0 {
		reader = rw.Reader
	}

	q := r.URL.Query()
	ident, err := h.verifier.Verify(r.Context(), q.Get("token"))
	if err != nil {
		h.logger.Debug("websocket token refused", zap.String("remote", r.RemoteAddr), zap.Error(err))
		transport.Reject(conn, hub.CloseUnauthorized, "unauthorized")
		return nil
	}
	dataset := q.Get("dataset")
	if dataset == "" {
		dataset = h.Dataset
	}
	if !ident.AllowsDataset(dataset) {
		transport.Reject(conn, hub.CloseForbidden, "dataset not allowed by the token")
		return nil
	}
	userID := ident.UserID
	client, err := h.shared.hub.Connect(hub.ClientOptions{
		Dataset: dataset,
		User:    protocol.User{UserID: ident.UserID, UserName: ident.UserName},
		Expires: ident.ExpiresAt,
		Reauth: func(token string) (time.Time, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			next, err := h.verifier.Verify(ctx, token)
			switch {
			case err != nil:
				return time.Time{}, errors.New("token does not verify")
			case next.UserID != userID:
				return time.Time{}, errors.New("token is for another user")
			case !next.AllowsDataset(dataset):
				return time.Time{}, errors.New("token does not allow this dataset")
			}
			return next.ExpiresAt, nil
		},
	})
	if err != nil {
		transport.Reject(conn, hub.CloseGoingAway, "server shutting down")
		return nil
	}
	transport.Serve(conn, reader, client, transport.Options{})
	return nil
}
