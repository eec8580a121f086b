package auth

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// maxTokenBytes bounds the token a client may present; real tokens are a
// few hundred bytes to a few kilobytes.
const maxTokenBytes = 16 << 10

// Verifier checks tokens against one configured key source. It is safe for
// concurrent use.
type Verifier struct {
	keys       keySource
	jwks       *jwksSource // nil unless the keys come from a JWKS URL
	algorithms []string    // every algorithm any trusted key may verify
	parser     *jwt.Parser
	closeOnce  sync.Once
}

// keySource finds the key that verifies a token with the given kid and alg.
type keySource interface {
	lookup(ctx context.Context, kid, alg string) (verificationKey, error)
}

// staticKey is a single configured key; the token's kid is irrelevant.
type staticKey verificationKey

func (k staticKey) lookup(context.Context, string, string) (verificationKey, error) {
	return verificationKey(k), nil
}

// Verify checks the token's signature, algorithm and time and audience
// claims, and returns the identity it carries. ctx bounds any JWKS fetch the
// check needs. Every refusal wraps ErrInvalidToken, except ErrKeyUnavailable
// when the JWKS cannot be had; no error ever contains the token.
func (v *Verifier) Verify(ctx context.Context, token string) (Identity, error) {
	if token == "" {
		return Identity{}, ErrMissingToken
	}
	if len(token) > maxTokenBytes {
		return Identity{}, invalid("token is too long")
	}
	var c claims
	var keyErr error
	parsed, err := v.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		alg := t.Method.Alg()
		kid, _ := t.Header["kid"].(string)
		key, err := v.keys.lookup(ctx, kid, alg)
		if err == nil && !key.allows(alg) {
			err = invalid("signing algorithm does not fit the key")
		}
		keyErr = err
		return key.key, err
	})
	switch {
	case keyErr != nil:
		return Identity{}, keyErr
	case err != nil:
		return Identity{}, v.refusal(parsed, err)
	case c.Subject == "":
		return Identity{}, invalid("no sub claim")
	}
	return c.identity(), nil
}

// refusal maps a jwt error to one of this package's errors, whose text is
// fixed and so cannot leak the token.
func (v *Verifier) refusal(parsed *jwt.Token, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return invalid("malformed token")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return invalid("unsupported signing algorithm")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if parsed != nil && parsed.Method != nil && !slices.Contains(v.algorithms, parsed.Method.Alg()) {
			return invalid("signing algorithm not allowed")
		}
		return invalid("signature does not verify")
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return invalid("token is not valid yet")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return invalid("audience does not match")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return invalid("issuer does not match")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return invalid("a required claim (aud or iss) is missing")
	}
	return invalid("invalid claims")
}

// Close stops the background JWKS refresh, if any. Verify keeps working on
// the keys already fetched. Close is safe to call more than once.
func (v *Verifier) Close() {
	v.closeOnce.Do(func() {
		if v.jwks != nil {
			v.jwks.close()
		}
	})
}
