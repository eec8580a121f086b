package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// demoUser is someone the demo issues tokens for.
type demoUser struct {
	ID   string `json:"userId"`
	Name string `json:"userName"`
}

var demoUsers = []demoUser{
	{"alice", "Alice Martin"},
	{"bob", "Bob Chen"},
	{"carol", "Carol Díaz"},
}

func findUser(id string) (demoUser, bool) {
	for _, u := range demoUsers {
		if u.ID == id {
			return u, true
		}
	}
	return demoUser{}, false
}

// newSecret returns a random HS256 secret of 64 bytes (hex text, so that it
// can stand in a Caddyfile).
func newSecret() ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return []byte(hex.EncodeToString(b)), nil
}

// tokenIssuer answers GET /demo/token?user=ID with a token for that demo
// user. A real deployment gets its tokens from its identity provider; the
// sidecar only verifies them.
type tokenIssuer struct {
	secret []byte
	ttl    time.Duration
}

// tokenResponse is the JSON body of a token answer.
type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	demoUser
}

func (ti tokenIssuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	id := r.URL.Query().Get("user")
	if id == "" {
		http.Error(w, "missing ?user=alice|bob|carol", http.StatusBadRequest)
		return
	}
	u, ok := findUser(id)
	if !ok {
		http.Error(w, "unknown demo user; try alice, bob or carol", http.StatusNotFound)
		return
	}
	exp := time.Now().Add(ti.ttl).UTC().Truncate(time.Second)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub":  u.ID,
		"name": u.Name,
		"exp":  exp.Unix(),
	}).SignedString(ti.secret)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(tokenResponse{Token: token, ExpiresAt: exp, demoUser: u})
}

// tokenServer serves the token issuer on a loopback port for Caddy to proxy.
type tokenServer struct {
	Addr string
	srv  *http.Server
}

func serveTokens(secret []byte) (*tokenServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/demo/token", tokenIssuer{secret: secret, ttl: 8 * time.Hour})
	s := &tokenServer{Addr: l.Addr().String(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("token issuer: %v", err)
		}
	}()
	return s, nil
}

func (s *tokenServer) Close() error { return s.srv.Close() }
