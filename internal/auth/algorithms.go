package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
)

// Algorithm families. A key only ever verifies algorithms of its own family,
// whatever the token header asks for.
var (
	hmacAlgorithms    = []string{"HS256", "HS384", "HS512"}
	rsaAlgorithms     = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	ed25519Algorithms = []string{"EdDSA"}
)

// algorithmsFor returns the algorithms a public key may verify. An ECDSA key
// is pinned to the single algorithm its curve is defined for (RFC 7518 §3.4).
func algorithmsFor(key any) ([]string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return rsaAlgorithms, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return []string{"ES256"}, nil
		case elliptic.P384():
			return []string{"ES384"}, nil
		case elliptic.P521():
			return []string{"ES512"}, nil
		}
		return nil, fmt.Errorf("unsupported ECDSA curve %s", k.Curve.Params().Name)
	case ed25519.PublicKey:
		return ed25519Algorithms, nil
	}
	return nil, fmt.Errorf("unsupported public key type %T", key)
}
