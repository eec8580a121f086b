package module

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/transport"
)

// serveSSE serves the Server-Sent Events fallback at path+"/sse":
//
//	GET /ws/sse?token=JWT&dataset=NAME&query=GROQ[&query=GROQ…][&params=JSON]
//
// with the same authentication and events as the WebSocket. An SSE client
// cannot send messages, so its subscriptions come from the query
// parameters (params applies to each) and it has no presence. It resumes
// from Last-Event-ID (EPOCH:SEQ, sent by EventSource on reconnect) or
// since=&epoch=. Refusals are HTTP statuses: 401 for the token, 403 for
// the dataset or origin, 503 with Retry-After for connection limits.
func (h *Handler) serveSSE(w http.ResponseWriter, r *http.Request) (int, error) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		return 0, caddyhttp.Error(http.StatusMethodNotAllowed, errors.New("the event stream is read with GET"))
	}
	if !h.origins.allows(r) {
		return 0, caddyhttp.Error(http.StatusForbidden, errors.New("origin not allowed; add it to allowed_origins"))
	}
	q := r.URL.Query()
	queries := q["query"]
	var params map[string]any
	if p := q.Get("params"); p != "" {
		if err := json.Unmarshal([]byte(p), &params); err != nil {
			return 0, caddyhttp.Error(http.StatusBadRequest, errors.New("params must be a JSON object"))
		}
	}
	resume := resumePoint(q)
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		if epoch, seq, ok := transport.ParseEventID(id); ok {
			resume = &hub.ResumeFrom{Since: seq, Epoch: epoch}
		}
	}
	token, _ := requestToken(r)
	client, why, err := h.admit(r, token, resume, false)
	switch why {
	case unauthorized:
		return 0, caddyhttp.Error(http.StatusUnauthorized, errors.New("missing, invalid or expired token"))
	case forbidden:
		return 0, caddyhttp.Error(http.StatusForbidden, err)
	case overLimit:
		w.Header().Set("Retry-After", strconv.Itoa(5))
		return 0, caddyhttp.Error(http.StatusServiceUnavailable, err)
	case closing:
		return 0, caddyhttp.Error(http.StatusServiceUnavailable, err)
	}
	defer client.Closed()
	defer client.Disconnect()

	for _, query := range queries {
		msg, _ := json.Marshal(map[string]any{"type": protocol.TypeSubscribe, "query": query, "params": params})
		client.Handle(msg)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	transport.ServeSSE(r.Context(), w, client, h.transport)
	return http.StatusOK, nil
}

// isSSEPath reports whether path is the event stream under the socket path.
func (h *Handler) isSSEPath(path string) bool {
	rest, ok := strings.CutPrefix(path, h.Path)
	return ok && rest == "/sse"
}
