package auth

import (
	"errors"
	"fmt"
)

// ErrInvalidToken is wrapped by every error Verify returns for a token that
// must be refused: missing, malformed, badly signed, expired, not yet valid or
// lacking required claims. Callers close the socket with 4001 for any of them.
var ErrInvalidToken = errors.New("auth: invalid token")

// ErrMissingToken reports an empty token. It wraps ErrInvalidToken.
var ErrMissingToken = fmt.Errorf("%w: no token", ErrInvalidToken)

// ErrExpired reports a token whose exp lies in the past, beyond the leeway.
// It wraps ErrInvalidToken.
var ErrExpired = fmt.Errorf("%w: expired", ErrInvalidToken)

// ErrKeyUnavailable reports that the JWKS could not be fetched or parsed, so no
// token can be checked right now. It does not wrap ErrInvalidToken: the token
// may be fine, the key source is not.
var ErrKeyUnavailable = errors.New("auth: verification keys unavailable")

// invalid returns an ErrInvalidToken with a fixed reason. The reason must be
// written by this package, never derived from the token text.
func invalid(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidToken, reason)
}
