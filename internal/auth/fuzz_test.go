package auth

import (
	"errors"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary token text to an HMAC verifier whose secret the
// corpus does not know. Nothing may be accepted, every refusal must wrap
// ErrInvalidToken, and no error may echo a piece of the token.
func FuzzVerify(f *testing.F) {
	v, err := New(Config{HMACSecret: testSecret, Audience: "cms"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(v.Close)
	f.Fuzz(func(t *testing.T, token string) {
		id, err := v.Verify(t.Context(), token)
		if err == nil {
			t.Fatalf("accepted a token signed without the secret: %+v", id)
		}
		if !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("error %q does not wrap ErrInvalidToken", err)
		}
		msg := err.Error()
		for _, run := range base64URLRuns(token) {
			if len(run) >= 20 && strings.Contains(msg, run) {
				t.Fatalf("error %q echoes token text %q", msg, run)
			}
		}
	})
}

// base64URLRuns splits s into maximal runs of base64url characters, the
// alphabet a token is written in.
func base64URLRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	})
}
