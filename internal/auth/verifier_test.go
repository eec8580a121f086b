package auth

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func newHMACVerifier(t *testing.T, cfg Config) *Verifier {
	t.Helper()
	cfg.HMACSecret = testSecret
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

// assertRefusedFor is assertRefused that also checks the stated reason.
func assertRefusedFor(t *testing.T, token string, err, want error, reason string) {
	t.Helper()
	assertRefused(t, token, err, want)
	if !strings.Contains(err.Error(), reason) {
		t.Errorf("error %q does not say %q", err, reason)
	}
}

// assertRefused checks that err refuses the token without revealing it.
func assertRefused(t *testing.T, token string, err, want error) {
	t.Helper()
	if err == nil {
		t.Fatal("Verify accepted the token")
	}
	if !errors.Is(err, want) {
		t.Errorf("error %q is not %q", err, want)
	}
	assertNoTokenText(t, token, err)
}

// assertNoTokenText fails if the error message contains the token or any
// long piece of it.
func assertNoTokenText(t testing.TB, token string, err error) {
	t.Helper()
	msg := err.Error()
	if token != "" && strings.Contains(msg, token) {
		t.Fatalf("error %q contains the token", msg)
	}
	for _, part := range strings.Split(token, ".") {
		if len(part) >= 16 && strings.Contains(msg, part) {
			t.Fatalf("error %q contains token segment %q", msg, part)
		}
	}
}

func TestVerifyIdentity(t *testing.T) {
	v := newHMACVerifier(t, Config{})
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	tests := []struct {
		name     string
		claims   jwt.MapClaims
		wantName string
		wantSets []string
	}{
		{"name wins", jwt.MapClaims{"name": "Ada", "preferred_username": "ada", "email": "ada@example.com"}, "Ada", nil},
		{"preferred_username", jwt.MapClaims{"preferred_username": "ada", "email": "ada@example.com"}, "ada", nil},
		{"email", jwt.MapClaims{"email": "ada@example.com"}, "ada@example.com", nil},
		{"sub as last resort", jwt.MapClaims{}, "user-1", nil},
		{"empty name skipped", jwt.MapClaims{"name": "", "email": "ada@example.com"}, "ada@example.com", nil},
		{"non-string name ignored", jwt.MapClaims{"name": 42, "preferred_username": "ada"}, "ada", nil},
		{"datasets", jwt.MapClaims{"datasets": []string{"staging", "production"}}, "user-1", []string{"staging", "production"}},
		{"no datasets allowed", jwt.MapClaims{"datasets": []string{}}, "user-1", []string{}},
	}
	for _, alg := range hmacAlgorithms {
		for _, tt := range tests {
			t.Run(alg+"/"+tt.name, func(t *testing.T) {
				claims := jwt.MapClaims{"sub": "user-1", "exp": exp.Unix()}
				for k, val := range tt.claims {
					claims[k] = val
				}
				id, err := v.Verify(t.Context(), sign(t, alg, testSecret, "", claims))
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if id.UserID != "user-1" || id.UserName != tt.wantName {
					t.Errorf("identity = %q/%q, want user-1/%q", id.UserID, id.UserName, tt.wantName)
				}
				if !id.ExpiresAt.Equal(exp) {
					t.Errorf("ExpiresAt = %v, want %v", id.ExpiresAt, exp)
				}
				if (id.Datasets == nil) != (tt.wantSets == nil) || !slices.Equal(id.Datasets, tt.wantSets) {
					t.Errorf("Datasets = %#v, want %#v", id.Datasets, tt.wantSets)
				}
			})
		}
	}
}

func TestVerifyWithoutExp(t *testing.T) {
	v := newHMACVerifier(t, Config{})
	id, err := v.Verify(t.Context(), sign(t, "HS256", testSecret, "", jwt.MapClaims{"sub": "u"}))
	if err != nil {
		t.Fatal(err)
	}
	if !id.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %v, want zero", id.ExpiresAt)
	}
}

func TestAllowsDataset(t *testing.T) {
	tests := []struct {
		datasets []string
		name     string
		want     bool
	}{
		{nil, "production", true},
		{[]string{}, "production", false},
		{[]string{"staging"}, "production", false},
		{[]string{"staging", "production"}, "production", true},
	}
	for _, tt := range tests {
		if got := (Identity{Datasets: tt.datasets}).AllowsDataset(tt.name); got != tt.want {
			t.Errorf("Identity{Datasets: %#v}.AllowsDataset(%q) = %v, want %v", tt.datasets, tt.name, got, tt.want)
		}
	}
}

func TestVerifyRefusesHMACTokens(t *testing.T) {
	v := newHMACVerifier(t, Config{Audience: "cms", Issuer: "https://idp.example", Leeway: 5 * time.Second})
	now := time.Now()
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": "user-1", "aud": "cms", "iss": "https://idp.example", "exp": now.Add(time.Hour).Unix()}
	}
	with := func(k string, val any) jwt.MapClaims {
		c := good()
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	otherSecret := []byte("another-secret-another-secret-32")
	rsaKey := keyByName(t, "rsa")

	tests := []struct {
		name   string
		token  string
		want   error
		reason string
	}{
		{"empty", "", ErrMissingToken, "no token"},
		{"one segment", "abc", ErrInvalidToken, "malformed"},
		{"garbage segments", "a.b.c", ErrInvalidToken, "malformed"},
		{"not base64", "!!!.???.***", ErrInvalidToken, "malformed"},
		{"too long", strings.Repeat("a", maxTokenBytes+1), ErrInvalidToken, "too long"},
		{"payload not json", sign(t, "HS256", testSecret, "", good())[:40] + ".bm90IGpzb24.c2ln", ErrInvalidToken, "malformed"},
		{"wrong secret", sign(t, "HS256", otherSecret, "", good()), ErrInvalidToken, "signature does not verify"},
		{"tampered payload", tamper(t, sign(t, "HS256", testSecret, "", good())), ErrInvalidToken, "signature does not verify"},
		{"alg none", unsigned(t, good()), ErrInvalidToken, "algorithm not allowed"},
		{"rsa token", sign(t, "RS256", rsaKey.private, "", good()), ErrInvalidToken, "algorithm not allowed"},
		{"expired", sign(t, "HS256", testSecret, "", with("exp", now.Add(-time.Minute).Unix())), ErrExpired, "expired"},
		{"not yet valid", sign(t, "HS256", testSecret, "", with("nbf", now.Add(time.Minute).Unix())), ErrInvalidToken, "not valid yet"},
		{"missing sub", sign(t, "HS256", testSecret, "", with("sub", nil)), ErrInvalidToken, "no sub"},
		{"empty sub", sign(t, "HS256", testSecret, "", with("sub", "")), ErrInvalidToken, "no sub"},
		{"wrong audience", sign(t, "HS256", testSecret, "", with("aud", "other")), ErrInvalidToken, "audience"},
		{"missing audience", sign(t, "HS256", testSecret, "", with("aud", nil)), ErrInvalidToken, "required claim"},
		{"missing issuer", sign(t, "HS256", testSecret, "", with("iss", nil)), ErrInvalidToken, "required claim"},
		{"wrong issuer", sign(t, "HS256", testSecret, "", with("iss", "https://evil.example")), ErrInvalidToken, "issuer"},
		{"datasets not an array", sign(t, "HS256", testSecret, "", with("datasets", "production")), ErrInvalidToken, "malformed"},
		{"unknown alg", withHeader(t, sign(t, "HS256", testSecret, "", good()), `{"alg":"HS999","typ":"JWT"}`), ErrInvalidToken, "unsupported signing algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(t.Context(), tt.token)
			assertRefusedFor(t, tt.token, err, tt.want, tt.reason)
		})
	}
}

func TestVerifyLeeway(t *testing.T) {
	now := time.Now()
	claims := jwt.MapClaims{"sub": "u", "exp": now.Add(-3 * time.Second).Unix(), "nbf": now.Add(3 * time.Second).Unix()}
	token := sign(t, "HS256", testSecret, "", claims)
	if _, err := newHMACVerifier(t, Config{Leeway: 10 * time.Second}).Verify(t.Context(), token); err != nil {
		t.Errorf("with leeway: %v", err)
	}
	if _, err := newHMACVerifier(t, Config{}).Verify(t.Context(), token); err == nil {
		t.Error("without leeway: token accepted")
	}
}

func TestVerifyUsesClock(t *testing.T) {
	clock := &fakeClock{now: time.Now().Add(2 * time.Hour)}
	v, err := newVerifier(Config{HMACSecret: testSecret}, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	token := sign(t, "HS256", testSecret, "", validClaims())
	_, err = v.Verify(t.Context(), token)
	assertRefused(t, token, err, ErrExpired)
}

// TestPublicKeyPinsAlgorithmFamily signs with every algorithm and checks that
// a key accepts exactly those of its own family.
func TestPublicKeyPinsAlgorithmFamily(t *testing.T) {
	keys := testKeys(t)
	for _, verifierKey := range keys {
		v, err := New(Config{PublicKeyPEM: verifierKey.publicPEM(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(v.Close)
		for _, signer := range keys {
			for _, alg := range signer.algs {
				t.Run(verifierKey.name+"/"+signer.name+"/"+alg, func(t *testing.T) {
					token := sign(t, alg, signer.private, "", validClaims())
					_, err := v.Verify(t.Context(), token)
					if signer.name == verifierKey.name {
						if err != nil {
							t.Fatalf("own key refused: %v", err)
						}
						return
					}
					assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
				})
			}
		}
		t.Run(verifierKey.name+"/hmac-with-public-key", func(t *testing.T) {
			// The classic confusion attack: HS256 keyed with the public key.
			token := sign(t, "HS256", verifierKey.publicPEM(t), "", validClaims())
			_, err := v.Verify(t.Context(), token)
			assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
		})
		t.Run(verifierKey.name+"/none", func(t *testing.T) {
			token := unsigned(t, validClaims())
			_, err := v.Verify(t.Context(), token)
			assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
		})
	}
}

func TestHMACVerifierRefusesEachPublicKeyFamily(t *testing.T) {
	v := newHMACVerifier(t, Config{})
	for _, k := range testKeys(t) {
		token := sign(t, k.algs[0], k.private, "", validClaims())
		_, err := v.Verify(t.Context(), token)
		assertRefusedFor(t, token, err, ErrInvalidToken, "algorithm not allowed")
	}
}

// tamper changes the subject in the payload and keeps the signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload := jwt.MapClaims{"sub": "admin", "aud": "cms", "iss": "https://idp.example", "exp": time.Now().Add(time.Hour).Unix()}
	unsignedTok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, payload).SigningString()
	if err != nil {
		t.Fatal(err)
	}
	return unsignedTok + "." + parts[2]
}

// withHeader replaces the token's header with the given JSON.
func withHeader(t *testing.T, token, header string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + parts[1] + "." + parts[2]
}
