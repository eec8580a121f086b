package module

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Redacted replaces a token wherever the module logs a request.
const Redacted = "REDACTED"

// serveKeepingTokensOutOfLogs serves a request to the socket or event-stream
// path. Caddy logs a request as it arrived: its access log and, for a handler
// error, its error log print the URI and the headers, and they redact only
// Authorization and cookies. A token in the query (?token=) or in a
// "bearer.<token>" subprotocol would be printed as is, and a handler cannot
// change what Caddy already copied for its logs. So when the request carries
// a token in either place, the handler keeps the request out of Caddy's logs
// (the log_skip variable, and refusals answered here rather than returned as
// errors) and logs it itself with every token replaced by REDACTED, at INFO
// where the server has access logs and at DEBUG otherwise. A server
// configured with log_credentials asked for credentials in its logs, and
// gets Caddy's own lines.
func (h *Handler) serveKeepingTokensOutOfLogs(w http.ResponseWriter, r *http.Request, serve func(http.ResponseWriter, *http.Request) (int, error)) error {
	srv, _ := r.Context().Value(caddyhttp.ServerCtxKey).(*caddyhttp.Server)
	if !tokenInURLOrProtocol(r) || (srv != nil && srv.Logs != nil && srv.Logs.ShouldLogCredentials) {
		_, err := serve(w, r)
		return err
	}
	caddyhttp.SetVar(r.Context(), caddyhttp.LogSkipVar, true)
	start := time.Now()
	status, err := serve(w, r)
	if err != nil {
		// Answered as Caddy answers an error without error routes: the
		// status and no body.
		status = http.StatusInternalServerError
		if he, ok := errors.AsType[caddyhttp.HandlerError](err); ok {
			status, err = he.StatusCode, he.Err
		}
		w.WriteHeader(status)
	}
	level := zapcore.DebugLevel
	if srv != nil && srv.Logs != nil {
		level = zapcore.InfoLevel
	}
	if c := h.logger.Check(level, "handled request"); c != nil {
		fields := []zap.Field{
			zap.Object("request", caddyhttp.LoggableHTTPRequest{Request: redactedRequest(r)}),
			zap.Duration("duration", time.Since(start)),
			zap.Int("status", status),
		}
		if err != nil {
			fields = append(fields, zap.Error(err))
		}
		c.Write(fields...)
	}
	return nil
}

// tokenInURLOrProtocol reports whether r carries a token where Caddy's logs
// would print it: the token query parameter or a bearer subprotocol.
func tokenInURLOrProtocol(r *http.Request) bool {
	if r.URL.Query().Has("token") {
		return true
	}
	for _, line := range r.Header.Values("Sec-WebSocket-Protocol") {
		if strings.Contains(line, "bearer.") {
			return true
		}
	}
	return false
}

// redactedRequest is a copy of r for logging with every token replaced:
// the token query parameter and bearer subprotocol entries. Caddy's request
// marshaler redacts Authorization and cookies itself.
func redactedRequest(r *http.Request) *http.Request {
	c := r.Clone(r.Context())
	if r.URL.RawQuery != "" {
		c.URL.RawQuery = redactQuery(r.URL.RawQuery)
		path, _, _ := strings.Cut(r.RequestURI, "?")
		c.RequestURI = path + "?" + c.URL.RawQuery
	}
	if lines := c.Header.Values("Sec-WebSocket-Protocol"); len(lines) > 0 {
		redacted := make([]string, len(lines))
		for i, line := range lines {
			entries := strings.Split(line, ",")
			for j, e := range entries {
				if strings.HasPrefix(strings.TrimSpace(e), "bearer.") {
					entries[j] = " bearer." + Redacted
				}
			}
			redacted[i] = strings.TrimSpace(strings.Join(entries, ","))
		}
		c.Header[http.CanonicalHeaderKey("Sec-WebSocket-Protocol")] = redacted
	}
	return c
}

// redactQuery replaces the value of every token parameter of a raw query,
// keeping the rest byte for byte.
func redactQuery(raw string) string {
	params := strings.Split(raw, "&")
	for i, p := range params {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil && k == "token" {
			params[i] = key + "=" + Redacted
		}
	}
	return strings.Join(params, "&")
}
