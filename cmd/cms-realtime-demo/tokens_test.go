package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestTokenIssuerSignsDemoUsers(t *testing.T) {
	secret, err := newSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < 32 {
		t.Fatalf("secret of %d bytes, the sidecar wants at least 32", len(secret))
	}
	issuer := tokenIssuer{secret: secret, ttl: time.Hour}
	for _, u := range demoUsers {
		rec := httptest.NewRecorder()
		issuer.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/demo/token?user="+u.ID, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", u.ID, rec.Code, rec.Body)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", u.ID, cc)
		}
		var resp tokenResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %v: %s", u.ID, err, rec.Body)
		}
		if resp.demoUser != u {
			t.Errorf("%s: response names %+v", u.ID, resp.demoUser)
		}
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(resp.Token, claims, func(*jwt.Token) (any, error) { return secret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
		if err != nil {
			t.Fatalf("%s: token does not verify: %v", u.ID, err)
		}
		if claims["sub"] != u.ID || claims["name"] != u.Name {
			t.Errorf("%s: claims %v", u.ID, claims)
		}
		exp, _ := claims.GetExpirationTime()
		if d := time.Until(exp.Time); d < 59*time.Minute || d > time.Hour {
			t.Errorf("%s: token expires in %v, want an hour", u.ID, d)
		}
		if !resp.ExpiresAt.Equal(exp.Time) {
			t.Errorf("%s: expiresAt %v, token exp %v", u.ID, resp.ExpiresAt, exp.Time)
		}
	}
}

func TestTokenIssuerRejects(t *testing.T) {
	issuer := tokenIssuer{secret: []byte("0123456789abcdef0123456789abcdef"), ttl: time.Hour}
	cases := []struct {
		method, target string
		status         int
	}{
		{http.MethodGet, "/demo/token", http.StatusBadRequest},
		{http.MethodGet, "/demo/token?user=mallory", http.StatusNotFound},
		{http.MethodPost, "/demo/token?user=alice", http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		issuer.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, rec.Code, tc.status)
		}
	}
}

func TestServeTokens(t *testing.T) {
	s, err := serveTokens([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, err := http.Get("http://" + s.Addr + "/demo/token?user=bob")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
}
