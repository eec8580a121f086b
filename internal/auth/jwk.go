package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"
)

// jwk is the subset of a JSON Web Key (RFC 7517, RFC 7518 §6, RFC 8037) needed
// to verify signatures.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// verificationKey is a public key and the algorithms it may verify.
type verificationKey struct {
	kid        string
	key        any
	algorithms []string
}

func (k verificationKey) allows(alg string) bool {
	return slices.Contains(k.algorithms, alg)
}

// parse turns a JWK into a verification key. A key whose "alg" is set is pinned
// to that single algorithm, which must belong to the key's family.
func (j jwk) parse() (verificationKey, error) {
	if j.Use != "" && j.Use != "sig" {
		return verificationKey{}, fmt.Errorf("key use %q is not sig", j.Use)
	}
	var key any
	var err error
	switch j.Kty {
	case "RSA":
		key, err = j.rsa()
	case "EC":
		key, err = j.ecdsa()
	case "OKP":
		key, err = j.ed25519()
	default:
		err = fmt.Errorf("unsupported kty %q", j.Kty)
	}
	if err != nil {
		return verificationKey{}, err
	}
	algs, err := algorithmsFor(key)
	if err != nil {
		return verificationKey{}, err
	}
	if j.Alg != "" {
		if !slices.Contains(algs, j.Alg) {
			return verificationKey{}, fmt.Errorf("alg %q does not fit a %s key", j.Alg, j.Kty)
		}
		algs = []string{j.Alg}
	}
	return verificationKey{kid: j.Kid, key: key, algorithms: algs}, nil
}

func (j jwk) rsa() (*rsa.PublicKey, error) {
	n, err := decodeParam("n", j.N)
	if err != nil {
		return nil, err
	}
	e, err := decodeParam("e", j.E)
	if err != nil {
		return nil, err
	}
	if len(e) > 4 {
		return nil, errors.New("RSA exponent too large")
	}
	exp := int(new(big.Int).SetBytes(e).Int64())
	if exp < 3 || exp%2 == 0 {
		return nil, errors.New("invalid RSA exponent")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}, nil
}

func (j jwk) ecdsa() (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	switch j.Crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	default:
		return nil, fmt.Errorf("unsupported EC curve %q", j.Crv)
	}
	x, err := decodeParam("x", j.X)
	if err != nil {
		return nil, err
	}
	y, err := decodeParam("y", j.Y)
	if err != nil {
		return nil, err
	}
	size := (curve.Params().BitSize + 7) / 8
	if len(x) != size || len(y) != size {
		return nil, fmt.Errorf("EC coordinates must be %d bytes for %s", size, j.Crv)
	}
	point := append([]byte{4}, x...)
	point = append(point, y...)
	return ecdsa.ParseUncompressedPublicKey(curve, point)
}

func (j jwk) ed25519() (ed25519.PublicKey, error) {
	if j.Crv != "Ed25519" {
		return nil, fmt.Errorf("unsupported OKP curve %q", j.Crv)
	}
	x, err := decodeParam("x", j.X)
	if err != nil {
		return nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("an Ed25519 key must be %d bytes", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(x), nil
}

// decodeParam decodes a base64url (unpadded) key parameter.
func decodeParam(name, value string) ([]byte, error) {
	if value == "" {
		return nil, fmt.Errorf("missing %q", name)
	}
	b, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("parameter %q is not base64url", name)
	}
	return b, nil
}
