package module

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/auth"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/capture"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/infer"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/transport"
)

func init() {
	caddy.RegisterModule(Handler{})
}

// Defaults of the handler's options.
const (
	DefaultPath      = "/ws"
	DefaultDataset   = "production"
	DefaultMaxBody   = 1 << 20
	DefaultCacheSize = 64 << 20
	// MinHMACSecret is the shortest HMAC secret accepted, in bytes.
	MinHMACSecret = auth.MinHMACSecretBytes
)

// Handler proxies a CMS's REST traffic untouched, infers document changes
// from its successful write responses, and serves the real-time WebSocket.
type Handler struct {
	// JWTSecret is the HMAC (HS256/384/512) key tokens are signed with.
	// Placeholders such as {env.JWT_SECRET} are expanded. At least 32 bytes.
	JWTSecret string `json:"jwt_secret,omitempty"`
	// JWTPublicKey is the path of a PEM RSA, ECDSA or Ed25519 public key.
	JWTPublicKey string `json:"jwt_public_key,omitempty"`
	// JWKSURL is a JSON Web Key Set URL, fetched and cached.
	JWKSURL string `json:"jwks_url,omitempty"`
	// JWTAudience and JWTIssuer, when set, must match the token's aud and iss.
	JWTAudience string `json:"jwt_audience,omitempty"`
	JWTIssuer   string `json:"jwt_issuer,omitempty"`
	// JWTLeeway tolerates clock skew in exp and nbf.
	JWTLeeway caddy.Duration `json:"jwt_leeway,omitempty"`

	// Dataset is the dataset writes seen on this route belong to, and the
	// default of sockets that name none. Default "production".
	Dataset string `json:"dataset,omitempty"`
	// Path is where the WebSocket is served. Default "/ws".
	Path string `json:"path,omitempty"`
	// Type, when set, is the document type of every write on this route.
	Type string `json:"type,omitempty"`
	// Preset selects the CMS's inference rules. Default "generic".
	Preset string `json:"preset,omitempty"`
	// IDField, TypeField and StatusField name where a document's id, type and
	// publish status live (a field name or a JSON pointer such as /sys/id),
	// tried before the preset's own. PublishedValues are the StatusField
	// values meaning published; Envelope the field holding the document(s).
	IDField         string   `json:"id_field,omitempty"`
	TypeField       string   `json:"type_field,omitempty"`
	StatusField     string   `json:"status_field,omitempty"`
	PublishedValues []string `json:"published_values,omitempty"`
	Envelope        string   `json:"envelope,omitempty"`
	// Collections map request paths to document types (first match wins);
	// Ignore lists paths whose responses never hold documents.
	Collections []Collection `json:"collections,omitempty"`
	Ignore      []string     `json:"ignore,omitempty"`
	// MaxBody is the largest response body inspected, in bytes. Default 1 MiB.
	MaxBody int64 `json:"max_body,omitempty"`
	// CacheSize bounds the process-wide document cache, in bytes, when it is
	// first created. Default 64 MiB.
	CacheSize int64 `json:"cache_size,omitempty"`
	// AllowedOrigins are the browser origins that may open sockets
	// (scheme://host[:port], or "*"). Default: the request's own host.
	AllowedOrigins []string `json:"allowed_origins,omitempty"`

	// PingInterval is how often the server pings each socket (default
	// 25s); PongTimeout how long past that it waits for any frame before
	// closing it (default 10s).
	PingInterval caddy.Duration `json:"ping_interval,omitempty"`
	PongTimeout  caddy.Duration `json:"pong_timeout,omitempty"`
	// MaxMessage is the largest client frame or message, in bytes (default
	// 64 KiB); larger closes the socket with 1009.
	MaxMessage int64 `json:"max_message,omitempty"`
	// MessageRate and MessageBurst limit the messages one socket may send
	// (default 50/s, bursts of 100); more closes it with 4029.
	MessageRate  float64 `json:"message_rate,omitempty"`
	MessageBurst int     `json:"message_burst,omitempty"`
	// QueueMessages and QueueBytes bound a socket's outbound queue (default
	// 1024 messages, 1 MiB); overflowing it closes the socket with 4008.
	QueueMessages int   `json:"queue_messages,omitempty"`
	QueueBytes    int64 `json:"queue_bytes,omitempty"`
	// MaxSubscriptions and MaxPresence bound one socket's subscriptions and
	// presence documents (default 100 each).
	MaxSubscriptions int `json:"max_subscriptions,omitempty"`
	MaxPresence      int `json:"max_presence,omitempty"`
	// MaxSockets, MaxSocketsPerUser and MaxSocketsPerAddr bound the
	// process's open sockets in all, per user and per client address
	// (default unlimited, 256, 1024; -1: unlimited). Process-wide: the
	// handler provisioned last sets them.
	MaxSockets        int `json:"max_sockets,omitempty"`
	MaxSocketsPerUser int `json:"max_sockets_per_user,omitempty"`
	MaxSocketsPerAddr int `json:"max_sockets_per_addr,omitempty"`
	// HistorySize and HistoryAge bound the per-dataset event history that
	// resume replays from (default 1000 events, 10m). Process-wide: taken
	// from the handler that first creates the hub.
	HistorySize int            `json:"history_size,omitempty"`
	HistoryAge  caddy.Duration `json:"history_age,omitempty"`

	logger    *zap.Logger
	shared    *shared
	verifier  *auth.Verifier
	engine    *infer.Engine
	reads     func(status int) bool // h.engine.Reads, bound once: a method value allocates
	origins   originPolicy
	limits    hub.Limits
	transport transport.Options
}

// CaddyModule returns the Caddy module information.
func (Handler) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.cms_realtime",
		New: func() caddy.Module { return new(Handler) },
	}
}

// Provision sets defaults, builds the token verifier and joins the shared
// hub.
func (h *Handler) Provision(ctx caddy.Context) error {
	h.logger = ctx.Logger()
	if h.Dataset == "" {
		h.Dataset = DefaultDataset
	}
	if h.Path == "" {
		h.Path = DefaultPath
	}
	if h.MaxBody == 0 {
		h.MaxBody = DefaultMaxBody
	}
	if h.CacheSize == 0 {
		h.CacheSize = DefaultCacheSize
	}
	if h.Preset == "" {
		h.Preset = "generic"
	}
	v, err := h.newVerifier()
	if err != nil {
		return err
	}
	h.verifier = v
	h.origins = newOriginPolicy(h.AllowedOrigins)

	sh, err := loadShared(h.CacheSize, hub.Config{
		HistorySize: h.HistorySize,
		HistoryAge:  time.Duration(h.HistoryAge),
	}, h.logger)
	if err != nil {
		return err
	}
	h.shared = sh
	sh.hub.SetSocketLimits(h.MaxSockets, h.MaxSocketsPerUser, h.MaxSocketsPerAddr)
	h.limits = hub.Limits{
		QueueMessages:    h.QueueMessages,
		QueueBytes:       int(h.QueueBytes),
		MaxSubscriptions: h.MaxSubscriptions,
		MaxPresence:      h.MaxPresence,
		MessageRate:      h.MessageRate,
		MessageBurst:     h.MessageBurst,
	}
	h.transport = transport.Options{
		MaxMessage:   h.MaxMessage,
		PingInterval: time.Duration(h.PingInterval),
		PongTimeout:  time.Duration(h.PongTimeout),
	}
	h.engine, err = infer.New(h.InferConfig(), sh.cache)
	if err != nil {
		return fmt.Errorf("cms_realtime: %w", err)
	}
	h.reads = h.engine.Reads
	return nil
}

// Collection maps the requests under Path (an exact path, or a prefix ending
// in /*) to documents of Type.
type Collection struct {
	Path string `json:"path"`
	Type string `json:"type"`
}

// InferConfig is the inference configuration the handler's fields describe.
func (h *Handler) InferConfig() infer.Config {
	cfg := infer.Config{
		Preset:          h.Preset,
		RouteType:       h.Type,
		IDField:         h.IDField,
		TypeField:       h.TypeField,
		StatusField:     h.StatusField,
		PublishedValues: h.PublishedValues,
		Envelope:        h.Envelope,
	}
	for _, c := range h.Collections {
		cfg.Collections = append(cfg.Collections, infer.Collection{Path: infer.PathPattern(c.Path), Type: c.Type})
	}
	for _, p := range h.Ignore {
		cfg.Ignore = append(cfg.Ignore, infer.PathPattern(p))
	}
	return cfg
}

func (h *Handler) newVerifier() (*auth.Verifier, error) {
	cfg := auth.Config{
		Audience: h.JWTAudience,
		Issuer:   h.JWTIssuer,
		Leeway:   time.Duration(h.JWTLeeway),
		JWKSURL:  h.JWKSURL,
	}
	if h.JWTSecret != "" {
		secret := caddy.NewReplacer().ReplaceKnown(h.JWTSecret, "")
		if strings.TrimSpace(secret) == "" {
			return nil, fmt.Errorf("cms_realtime: jwt_secret %q expands to nothing; set the variable or write the secret", h.JWTSecret)
		}
		cfg.HMACSecret = []byte(secret)
	}
	if h.JWTPublicKey != "" {
		pem, err := os.ReadFile(h.JWTPublicKey)
		if err != nil {
			return nil, fmt.Errorf("cms_realtime: jwt_public_key: %w", err)
		}
		cfg.PublicKeyPEM = pem
	}
	v, err := auth.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("cms_realtime: %w", err)
	}
	return v, nil
}

// Validate checks the configuration once provisioned.
func (h *Handler) Validate() error {
	if !strings.HasPrefix(h.Path, "/") {
		return fmt.Errorf("cms_realtime: path %q must start with /", h.Path)
	}
	if h.MaxBody < 0 {
		return errors.New("cms_realtime: max_body must be positive")
	}
	for name, v := range map[string]int64{
		"cache_size": h.CacheSize, "max_message": h.MaxMessage, "queue_messages": int64(h.QueueMessages),
		"queue_bytes": h.QueueBytes, "max_subscriptions": int64(h.MaxSubscriptions), "max_presence": int64(h.MaxPresence),
		"message_burst": int64(h.MessageBurst), "history_size": int64(h.HistorySize),
		"ping_interval": int64(h.PingInterval), "pong_timeout": int64(h.PongTimeout), "history_age": int64(h.HistoryAge),
	} {
		if v < 0 {
			return fmt.Errorf("cms_realtime: %s must not be negative", name)
		}
	}
	if h.MessageRate < 0 {
		return errors.New("cms_realtime: message_rate must not be negative")
	}
	return nil
}

// Cleanup releases the verifier and this handler's hold on the shared hub;
// the last holder's release closes every socket with 1001.
func (h *Handler) Cleanup() error {
	if h.verifier != nil {
		h.verifier.Close()
	}
	if h.shared != nil {
		_, err := sharedPool.Delete(sharedKey)
		return err
	}
	return nil
}

// ServeHTTP serves the WebSocket on h.Path and passes everything else on,
// observing the responses inference needs.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	if r.URL.Path == h.Path {
		return h.serveKeepingTokensOutOfLogs(w, r, h.serveSocket)
	}
	if h.isSSEPath(r.URL.Path) {
		return h.serveKeepingTokensOutOfLogs(w, r, h.serveSSE)
	}
	method := effectiveMethod(r)
	if !inspected(method) {
		return next.ServeHTTP(w, r)
	}
	rec := capture.NewRecorder(w, int(h.MaxBody), h.reads)
	err := next.ServeHTTP(rec, r)
	if err != nil || rec.Status() == 0 {
		rec.Release()
		return err
	}
	h.shared.observer.enqueue(observation{
		dataset:  h.Dataset,
		engine:   h.engine,
		method:   method,
		path:     r.URL.Path,
		query:    r.URL.RawQuery,
		encoding: w.Header().Get("Content-Encoding"),
		ctype:    w.Header().Get("Content-Type"),
		maxBody:  int(h.MaxBody),
		rec:      rec,
		seen:     time.Now(),
	})
	return nil
}

// Interface guards
var (
	_ caddy.Provisioner           = (*Handler)(nil)
	_ caddy.Validator             = (*Handler)(nil)
	_ caddy.CleanerUpper          = (*Handler)(nil)
	_ caddyhttp.MiddlewareHandler = (*Handler)(nil)
)
