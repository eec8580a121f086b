package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer serves a JWK Set that tests can change, and counts requests.
type jwksServer struct {
	*httptest.Server
	hits atomic.Int64

	mu     sync.Mutex
	keys   []map[string]string
	status int
}

func newJWKSServer(t *testing.T, keys ...map[string]string) *jwksServer {
	t.Helper()
	s := &jwksServer{keys: keys, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.status != http.StatusOK {
			http.Error(w, "unavailable", s.status)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		if err := json.NewEncoder(w).Encode(map[string]any{"keys": s.keys}); err != nil {
			t.Error(err)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) setKeys(keys ...map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

func (s *jwksServer) setStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// toJWK encodes a public key as a JWK with the given kid and (optional) alg.
func toJWK(t testing.TB, pub crypto.PublicKey, kid, alg string) map[string]string {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	var j map[string]string
	switch k := pub.(type) {
	case *rsa.PublicKey:
		j = map[string]string{"kty": "RSA", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		raw, err := k.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		size := (len(raw) - 1) / 2
		j = map[string]string{"kty": "EC", "crv": k.Curve.Params().Name, "x": b64(raw[1 : 1+size]), "y": b64(raw[1+size:])}
	case ed25519.PublicKey:
		j = map[string]string{"kty": "OKP", "crv": "Ed25519", "x": b64(k)}
	default:
		t.Fatalf("toJWK: unsupported key %T", pub)
	}
	if kid != "" {
		j["kid"] = kid
	}
	if alg != "" {
		j["alg"] = alg
	}
	return j
}

// newJWKSVerifier returns a verifier for srv on a fake clock.
func newJWKSVerifier(t *testing.T, srv *jwksServer) (*Verifier, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Now()}
	v, err := newVerifier(Config{JWKSURL: srv.URL + "/jwks.json"}, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v, clock
}

func TestJWKSVerifiesEachKeyType(t *testing.T) {
	var set []map[string]string
	for _, k := range testKeys(t) {
		set = append(set, toJWK(t, k.private.Public(), "kid-"+k.name, ""))
	}
	v, _ := newJWKSVerifier(t, newJWKSServer(t, set...))
	for _, k := range testKeys(t) {
		for _, alg := range k.algs {
			t.Run(k.name+"/"+alg, func(t *testing.T) {
				id, err := v.Verify(t.Context(), sign(t, alg, k.private, "kid-"+k.name, validClaims()))
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if id.UserID != "user-1" {
					t.Errorf("UserID = %q", id.UserID)
				}
			})
		}
	}
	t.Run("kid of another key type", func(t *testing.T) {
		token := sign(t, "RS256", keyByName(t, "rsa").private, "kid-ES256", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "does not fit the key")
	})
	t.Run("right kid, wrong signer", func(t *testing.T) {
		token := sign(t, "ES256", keyByName(t, "ES256").private, "kid-ES384", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "does not fit the key")
	})
	t.Run("hmac", func(t *testing.T) {
		token := sign(t, "HS256", testSecret, "kid-rsa", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
	})
	t.Run("none", func(t *testing.T) {
		token := unsigned(t, validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
	})
}

func TestJWKSTokenWithoutKid(t *testing.T) {
	rsaKey, ecKey := keyByName(t, "rsa"), keyByName(t, "ES256")
	t.Run("one key of the family", func(t *testing.T) {
		srv := newJWKSServer(t, toJWK(t, rsaKey.private.Public(), "r1", ""), toJWK(t, ecKey.private.Public(), "e1", ""))
		v, _ := newJWKSVerifier(t, srv)
		for _, token := range []string{
			sign(t, "RS256", rsaKey.private, "", validClaims()),
			sign(t, "ES256", ecKey.private, "", validClaims()),
		} {
			if _, err := v.Verify(t.Context(), token); err != nil {
				t.Errorf("Verify: %v", err)
			}
		}
	})
	t.Run("several keys of the family", func(t *testing.T) {
		other := &rsa.PublicKey{N: new(big.Int).Add(rsaKey.private.Public().(*rsa.PublicKey).N, big.NewInt(2)), E: 65537}
		srv := newJWKSServer(t, toJWK(t, rsaKey.private.Public(), "r1", ""), toJWK(t, other, "r2", ""))
		v, _ := newJWKSVerifier(t, srv)
		token := sign(t, "RS256", rsaKey.private, "", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "several keys")
	})
	t.Run("no key of the family", func(t *testing.T) {
		v, _ := newJWKSVerifier(t, newJWKSServer(t, toJWK(t, ecKey.private.Public(), "e1", "")))
		token := sign(t, "RS256", rsaKey.private, "", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "no key in the key set fits")
	})
}

func TestJWKSRotation(t *testing.T) {
	edKey, ecKey := keyByName(t, "ed25519"), keyByName(t, "ES256")
	oldJWK := toJWK(t, edKey.private.Public(), "2024", "")
	newJWK := toJWK(t, ecKey.private.Public(), "2025", "")
	srv := newJWKSServer(t, oldJWK)
	v, clock := newJWKSVerifier(t, srv)

	oldToken := sign(t, "EdDSA", edKey.private, "2024", validClaims())
	newToken := sign(t, "ES256", ecKey.private, "2025", validClaims())
	if _, err := v.Verify(t.Context(), oldToken); err != nil {
		t.Fatalf("old key: %v", err)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("JWKS fetched %d times, want 1", got)
	}

	// The provider rotates, but within the rate limit an unknown kid does
	// not cause a fetch.
	srv.setKeys(oldJWK, newJWK)
	clock.Advance(10 * time.Second)
	for range 5 {
		_, err := v.Verify(t.Context(), newToken)
		assertRefusedFor(t, newToken, err, ErrInvalidToken, "kid")
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("JWKS fetched %d times within the rate limit, want 1", got)
	}

	clock.Advance(jwksMinRefetch)
	if _, err := v.Verify(t.Context(), newToken); err != nil {
		t.Fatalf("new key after rotation: %v", err)
	}
	if _, err := v.Verify(t.Context(), oldToken); err != nil {
		t.Fatalf("old key still in the set: %v", err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Fatalf("JWKS fetched %d times, want 2", got)
	}

	// The old key is withdrawn; once refetched it no longer verifies.
	srv.setKeys(newJWK)
	clock.Advance(jwksMinRefetch)
	forged := sign(t, "ES256", ecKey.private, "unknown", validClaims())
	_, err := v.Verify(t.Context(), forged)
	assertRefusedFor(t, forged, err, ErrInvalidToken, "kid")
	_, err = v.Verify(t.Context(), oldToken)
	assertRefusedFor(t, oldToken, err, ErrInvalidToken, "kid")
	if got := srv.hits.Load(); got != 3 {
		t.Fatalf("JWKS fetched %d times, want 3", got)
	}
}

func TestJWKSConcurrentFirstUseFetchesOnce(t *testing.T) {
	k := keyByName(t, "ES384")
	srv := newJWKSServer(t, toJWK(t, k.private.Public(), "k", ""))
	v, _ := newJWKSVerifier(t, srv)
	token := sign(t, "ES384", k.private, "k", validClaims())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := v.Verify(context.Background(), token); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("JWKS fetched %d times, want 1", got)
	}
}

func TestJWKSAlgPinsKey(t *testing.T) {
	k := keyByName(t, "rsa")
	v, _ := newJWKSVerifier(t, newJWKSServer(t, toJWK(t, k.private.Public(), "k", "PS256")))
	if _, err := v.Verify(t.Context(), sign(t, "PS256", k.private, "k", validClaims())); err != nil {
		t.Fatalf("PS256: %v", err)
	}
	token := sign(t, "RS256", k.private, "k", validClaims())
	_, err := v.Verify(t.Context(), token)
	assertRefusedFor(t, token, err, ErrInvalidToken, "does not fit the key")
}

func TestJWKSUnavailable(t *testing.T) {
	k := keyByName(t, "ed25519")
	srv := newJWKSServer(t, toJWK(t, k.private.Public(), "k", ""))
	srv.setStatus(http.StatusServiceUnavailable)
	v, clock := newJWKSVerifier(t, srv)
	token := sign(t, "EdDSA", k.private, "k", validClaims())

	_, err := v.Verify(t.Context(), token)
	if !errors.Is(err, ErrKeyUnavailable) || errors.Is(err, ErrInvalidToken) {
		t.Fatalf("error %v, want ErrKeyUnavailable only", err)
	}
	assertNoTokenText(t, token, err)

	srv.setStatus(http.StatusOK)
	clock.Advance(jwksMinRefetch)
	if _, err := v.Verify(t.Context(), token); err != nil {
		t.Fatalf("after recovery: %v", err)
	}

	// A failed refresh keeps the keys already fetched.
	srv.setStatus(http.StatusInternalServerError)
	clock.Advance(jwksMinRefetch)
	if _, err := v.Verify(t.Context(), sign(t, "EdDSA", k.private, "other", validClaims())); !errors.Is(err, ErrKeyUnavailable) {
		t.Errorf("unknown kid during outage: %v, want ErrKeyUnavailable", err)
	}
	if _, err := v.Verify(t.Context(), token); err != nil {
		t.Errorf("cached key during outage: %v", err)
	}
}

func TestJWKSCancelledFetchIsNotAnAttempt(t *testing.T) {
	k := keyByName(t, "ES256")
	srv := newJWKSServer(t, toJWK(t, k.private.Public(), "k", ""))
	src := newJWKSSource(srv.URL, srv.Client(), (&fakeClock{now: time.Now()}).Now)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := src.lookup(cancelled, "k", "ES256"); !errors.Is(err, ErrKeyUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled lookup: %v", err)
	}
	if _, err := src.lookup(t.Context(), "k", "ES256"); err != nil {
		t.Fatalf("lookup after a cancelled one: %v", err)
	}
}

func TestJWKSSkipsUnusableKeys(t *testing.T) {
	k := keyByName(t, "ES256")
	good := toJWK(t, k.private.Public(), "good", "")
	encryption := toJWK(t, k.private.Public(), "enc", "")
	encryption["use"] = "enc"
	srv := newJWKSServer(t,
		map[string]string{"kty": "oct", "kid": "sym", "k": "c2VjcmV0"},
		encryption,
		map[string]string{"kty": "EC", "kid": "broken", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
		good,
	)
	v, _ := newJWKSVerifier(t, srv)
	if _, err := v.Verify(t.Context(), sign(t, "ES256", k.private, "good", validClaims())); err != nil {
		t.Fatalf("good key: %v", err)
	}
	token := sign(t, "ES256", k.private, "enc", validClaims())
	_, err := v.Verify(t.Context(), token)
	assertRefusedFor(t, token, err, ErrInvalidToken, "kid")
}

func TestParseJWKSRejects(t *testing.T) {
	ecJWK := toJWK(t, keyByName(t, "ES256").private.Public(), "k", "")
	offCurve := map[string]string{"kty": "EC", "crv": "P-256", "x": ecJWK["x"], "y": ecJWK["x"]}
	tests := []struct {
		name string
		body string
		want string
	}{
		{"not json", `<html>`, "not a JWK Set"},
		{"empty", `{"keys":[]}`, "empty"},
		{"no keys member", `{}`, "empty"},
		{"unknown kty", `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`, "unsupported kty"},
		{"rsa without n", `{"keys":[{"kty":"RSA","e":"AQAB"}]}`, `missing "n"`},
		{"rsa even exponent", `{"keys":[{"kty":"RSA","n":"AQAB","e":"Ag"}]}`, "exponent"},
		{"rsa huge exponent", `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQIDBAU"}]}`, "exponent"},
		{"not base64url", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"a+b/"}]}`, "base64url"},
		{"ed25519 short", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`, "32 bytes"},
		{"okp x25519", `{"keys":[{"kty":"OKP","crv":"X25519","x":"AAAA"}]}`, "unsupported OKP curve"},
		{"ec unknown curve", `{"keys":[{"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA"}]}`, "unsupported EC curve"},
		{"ec point off curve", mustJSON(t, map[string]any{"keys": []any{offCurve}}), "key 0"},
		{"alg of another family", mustJSON(t, map[string]any{"keys": []any{map[string]string{"kty": "EC", "crv": "P-256", "x": ecJWK["x"], "y": ecJWK["y"], "alg": "RS256"}}}), "does not fit"},
		{"encryption only", mustJSON(t, map[string]any{"keys": []any{map[string]string{"kty": "EC", "crv": "P-256", "x": ecJWK["x"], "y": ecJWK["y"], "use": "enc"}}}), "not sig"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := parseJWKS([]byte(tt.body))
			if err == nil {
				t.Fatalf("parseJWKS accepted it: %d keys", len(keys))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestVerifierCloseStopsRefresh(t *testing.T) {
	k := keyByName(t, "ed25519")
	srv := newJWKSServer(t, toJWK(t, k.private.Public(), "k", ""))
	v, err := New(Config{JWKSURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	v.Close()
	select {
	case <-v.jwks.done:
	default:
		t.Fatal("background refresh still running after Close")
	}
	// Verify still works after Close, fetching on demand if it must.
	if _, err := v.Verify(t.Context(), sign(t, "EdDSA", k.private, "k", validClaims())); err != nil {
		t.Fatalf("Verify after Close: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
