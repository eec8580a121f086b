package auth

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// parsePublicKeyPEM returns the first public key in data: a PKIX "PUBLIC KEY",
// a PKCS #1 "RSA PUBLIC KEY" or the key of a "CERTIFICATE". Private keys are
// refused so that a secret never ends up in the proxy's configuration.
func parsePublicKeyPEM(data []byte) (any, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no PEM public key or certificate found")
		}
		switch block.Type {
		case "PUBLIC KEY":
			return x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			return x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, err
			}
			return cert.PublicKey, nil
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("PEM block is a %s; configure the public key instead", block.Type)
		}
	}
}
