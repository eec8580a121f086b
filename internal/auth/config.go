package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MinHMACSecretBytes is the shortest HMAC secret New accepts (RFC 7518 §3.2
// asks for a key at least as long as the HS256 hash output).
const MinHMACSecretBytes = 32

// Config says which keys a Verifier trusts and which claims it checks.
// Exactly one of HMACSecret, PublicKeyPEM and JWKSURL must be set.
type Config struct {
	HMACSecret   []byte        // HS256/384/512; must be at least MinHMACSecretBytes long
	PublicKeyPEM []byte        // RSA, ECDSA or Ed25519 public key (PKIX PEM or certificate); algorithm family pinned to the key type
	JWKSURL      string        // fetched and cached; refetched (at most once per 30s) on unknown kid, so kid rotation works
	Audience     string        // checked when set
	Issuer       string        // checked when set
	Leeway       time.Duration // clock skew tolerance for exp and nbf
	HTTPClient   *http.Client  // for JWKS; nil means a client with a 10s timeout
}

// New validates cfg and returns a Verifier. A JWKS verifier starts fetching
// its key set in the background; call Close when done with it.
func New(cfg Config) (*Verifier, error) {
	return newVerifier(cfg, time.Now)
}

// newVerifier is New with a clock, which tests replace.
func newVerifier(cfg Config, now func() time.Time) (*Verifier, error) {
	set := 0
	for _, present := range []bool{len(cfg.HMACSecret) > 0, len(cfg.PublicKeyPEM) > 0, cfg.JWKSURL != ""} {
		if present {
			set++
		}
	}
	if set != 1 {
		return nil, errors.New("auth: exactly one of HMACSecret, PublicKeyPEM and JWKSURL must be set")
	}
	if cfg.Leeway < 0 {
		return nil, errors.New("auth: Leeway must not be negative")
	}

	v := &Verifier{}
	var algorithms []string
	switch {
	case len(cfg.HMACSecret) > 0:
		if len(cfg.HMACSecret) < MinHMACSecretBytes {
			return nil, fmt.Errorf("auth: HMAC secret is %d bytes; it must be at least %d bytes", len(cfg.HMACSecret), MinHMACSecretBytes)
		}
		key := verificationKey{key: slices.Clone(cfg.HMACSecret), algorithms: hmacAlgorithms}
		v.keys = staticKey(key)
		algorithms = key.algorithms
	case len(cfg.PublicKeyPEM) > 0:
		pub, err := parsePublicKeyPEM(cfg.PublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("auth: public key: %w", err)
		}
		algs, err := algorithmsFor(pub)
		if err != nil {
			return nil, fmt.Errorf("auth: public key: %w", err)
		}
		v.keys = staticKey(verificationKey{key: pub, algorithms: algs})
		algorithms = algs
	default:
		u, err := url.Parse(cfg.JWKSURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("auth: JWKSURL must be an absolute http or https URL")
		}
		client := cfg.HTTPClient
		if client == nil {
			client = &http.Client{Timeout: 10 * time.Second}
		}
		src := newJWKSSource(cfg.JWKSURL, client, now)
		v.keys = src
		v.jwks = src
		algorithms = slices.Concat(rsaAlgorithms, []string{"ES256", "ES384", "ES512"}, ed25519Algorithms)
	}

	opts := []jwt.ParserOption{jwt.WithValidMethods(algorithms), jwt.WithLeeway(cfg.Leeway), jwt.WithTimeFunc(now)}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	v.algorithms = algorithms
	v.parser = jwt.NewParser(opts...)
	if v.jwks != nil {
		v.jwks.start()
	}
	return v, nil
}
