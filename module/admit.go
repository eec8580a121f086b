package module

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// refusal says why a connection (socket or event stream) was not admitted;
// each transport turns it into its own answer (a close code, an HTTP status).
type refusal int

const (
	admitted     refusal = iota
	unauthorized         // no valid token: 4001 / 401
	forbidden            // the token does not allow the dataset: 4003 / 403
	overLimit            // a connection limit: 1013 / 503
	closing              // the hub is shutting down: 1001 / 503
)

// admit authenticates token, resolves the dataset (the dataset query
// parameter, else the route's) and attaches a hub client for it. A socket
// passes refreshable: auth messages on it are verified against the same
// user and dataset. err explains a refusal.
func (h *Handler) admit(r *http.Request, token string, resume *hub.ResumeFrom, refreshable bool) (*hub.Client, refusal, error) {
	ident, err := h.verifier.Verify(r.Context(), token)
	if err != nil {
		h.logger.Debug("token refused", zap.String("remote", r.RemoteAddr), zap.Error(err))
		return nil, unauthorized, err
	}
	dataset := r.URL.Query().Get("dataset")
	if dataset == "" {
		dataset = h.Dataset
	}
	if !ident.AllowsDataset(dataset) {
		return nil, forbidden, errors.New("dataset not allowed by the token")
	}
	opts := hub.ClientOptions{
		Dataset:    dataset,
		User:       protocol.User{UserID: ident.UserID, UserName: ident.UserName},
		RemoteAddr: clientIP(r),
		Expires:    ident.ExpiresAt,
		Resume:     resume,
		Limits:     &h.limits,
	}
	if refreshable {
		opts.Reauth = h.reauthenticator(ident.UserID, dataset)
	}
	client, err := h.shared.hub.Connect(opts)
	switch {
	case errors.Is(err, hub.ErrLimit):
		return nil, overLimit, err
	case err != nil:
		return nil, closing, err
	}
	return client, admitted, nil
}

// reauthenticator verifies the token of an auth message: it must verify, be
// for the same user, and allow the socket's dataset.
func (h *Handler) reauthenticator(userID, dataset string) hub.Reauthenticator {
	return func(token string) (time.Time, error) {
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
	}
}
