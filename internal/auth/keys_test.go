package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testSecret is a valid HMAC secret (exactly the minimum length).
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// testKey is a signing key of one family, with the PEM of its public half.
type testKey struct {
	name    string
	private crypto.Signer
	algs    []string // algorithms the public key must accept
}

var (
	testKeysOnce sync.Once
	testKeysList []testKey
)

// testKeys returns one key per supported type, generated once per run.
func testKeys(t testing.TB) []testKey {
	t.Helper()
	testKeysOnce.Do(func() {
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKeysList = []testKey{{name: "rsa", private: rsaKey, algs: rsaAlgorithms}}
		for _, c := range []struct {
			curve elliptic.Curve
			alg   string
		}{{elliptic.P256(), "ES256"}, {elliptic.P384(), "ES384"}, {elliptic.P521(), "ES512"}} {
			k, err := ecdsa.GenerateKey(c.curve, rand.Reader)
			if err != nil {
				panic(err)
			}
			testKeysList = append(testKeysList, testKey{name: c.alg, private: k, algs: []string{c.alg}})
		}
		_, edKey, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		testKeysList = append(testKeysList, testKey{name: "ed25519", private: edKey, algs: ed25519Algorithms})
	})
	return testKeysList
}

func keyByName(t testing.TB, name string) testKey {
	t.Helper()
	for _, k := range testKeys(t) {
		if k.name == name {
			return k
		}
	}
	t.Fatalf("no test key %q", name)
	return testKey{}
}

// publicPEM encodes the public key as a PKIX "PUBLIC KEY" block.
func (k testKey) publicPEM(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.private.Public())
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// certificatePEM wraps the public key in a self-signed certificate.
func (k testKey) certificatePEM(t testing.TB) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "issuer"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.private.Public(), k.private)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// sign returns a token with the given claims, alg and (if non-empty) kid.
func sign(t testing.TB, alg string, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	method := jwt.GetSigningMethod(alg)
	if method == nil {
		t.Fatalf("unknown alg %q", alg)
	}
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("signing %s: %v", alg, err)
	}
	return s
}

// unsigned returns an "alg: none" token.
func unsigned(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validClaims are claims every verifier in these tests accepts.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "user-1",
		"exp": time.Now().Add(time.Hour).Unix(),
	}
}

// fakeClock is a settable, race-safe clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
