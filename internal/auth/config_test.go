package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

func TestNewRejectsBadConfig(t *testing.T) {
	rsaKey := keyByName(t, "rsa")
	rsaPriv := rsaKey.private.(*rsa.PrivateKey)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(rsaPriv)
	if err != nil {
		t.Fatal(err)
	}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p224DER, err := x509.MarshalPKIXPublicKey(&p224.PublicKey)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"nothing set", Config{}, "exactly one"},
		{"secret and pem", Config{HMACSecret: testSecret, PublicKeyPEM: rsaKey.publicPEM(t)}, "exactly one"},
		{"secret and jwks", Config{HMACSecret: testSecret, JWKSURL: "https://idp.example/jwks"}, "exactly one"},
		{"short secret", Config{HMACSecret: testSecret[:31]}, "at least 32 bytes"},
		{"pem without key", Config{PublicKeyPEM: []byte("not a pem")}, "no PEM public key"},
		{"private key pem", Config{PublicKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})}, "configure the public key"},
		{"corrupt public key", Config{PublicKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}})}, "public key"},
		{"unsupported curve", Config{PublicKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: p224DER})}, "unsupported"},
		{"relative jwks url", Config{JWKSURL: "/jwks.json"}, "absolute http or https URL"},
		{"jwks url scheme", Config{JWKSURL: "ftp://idp.example/jwks"}, "absolute http or https URL"},
		{"negative leeway", Config{HMACSecret: testSecret, Leeway: -time.Second}, "Leeway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(tt.cfg)
			if err == nil {
				v.Close()
				t.Fatal("New succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewAcceptsEachKeyEncoding(t *testing.T) {
	rsaKey := keyByName(t, "rsa")
	pkcs1 := pem.EncodeToMemory(&pem.Block{
		Type:  "RSA PUBLIC KEY",
		Bytes: x509.MarshalPKCS1PublicKey(&rsaKey.private.(*rsa.PrivateKey).PublicKey),
	})
	for name, pemBytes := range map[string][]byte{
		"pkix":        rsaKey.publicPEM(t),
		"pkcs1":       pkcs1,
		"certificate": rsaKey.certificatePEM(t),
	} {
		t.Run(name, func(t *testing.T) {
			v, err := New(Config{PublicKeyPEM: pemBytes})
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			token := sign(t, "RS256", rsaKey.private, "", validClaims())
			if _, err := v.Verify(t.Context(), token); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}
