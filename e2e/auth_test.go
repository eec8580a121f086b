package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/golang-jwt/jwt/v5"
)

const (
	closeBadToken       ws.StatusCode = 4001
	closeDatasetDenied  ws.StatusCode = 4003
	closeMessageTooBig  ws.StatusCode = 1009
	closeRateLimited    ws.StatusCode = 4029
	closeTimeoutForAuth               = 5 * time.Second // how long a rejected socket may stay open
)

func TestAuthFailuresClose4001(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	cases := []struct {
		name  string
		token string
	}{
		{"missing", ""},
		{"garbage", "not-a-jwt"},
		{"wrong key", signToken(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes!"), userClaims("alice", "Alice"))},
		{"expired", e.signed(jwt.MapClaims{"sub": "alice", "name": "Alice", "exp": now.Add(-time.Minute).Unix()})},
		{"not yet valid", e.signed(jwt.MapClaims{"sub": "alice", "exp": now.Add(time.Hour).Unix(), "nbf": now.Add(time.Hour).Unix()})},
		{"alg none", signToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, userClaims("alice", "Alice"))},
		{"tampered claims", tamper(t, e.token("alice", "Alice"))},
	}
	for _, tc := range cases {
		for _, path := range []string{"/ws", "/staging/ws"} {
			e.dial(tc.name+" token@"+path, path, tc.token).expectClose(closeBadToken, closeTimeoutForAuth)
		}
	}
}

// tamper swaps the payload of a valid token for one naming another user,
// keeping the original header and signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	forged := signToken(t, jwt.SigningMethodHS256, []byte("irrelevant-secret-of-at-least-32-bytes"), userClaims("mallory", "Mallory"))
	orig, fake := strings.Split(token, "."), strings.Split(forged, ".")
	return orig[0] + "." + fake[1] + "." + orig[2]
}

func TestDatasetsClaim(t *testing.T) {
	e := newEnv(t)
	stagingOnly := userClaims("alice", "Alice")
	stagingOnly["datasets"] = []string{"staging"}
	token := e.signed(stagingOnly)

	e.dial("staging-only@/ws", "/ws", token).expectClose(closeDatasetDenied, closeTimeoutForAuth)

	c := dialWS(t, "staging-only@/ws?dataset=production", e.wsURL("/ws", map[string][]string{"token": {token}, "dataset": {"production"}}))
	c.expectClose(closeDatasetDenied, closeTimeoutForAuth)

	ok := e.dial("staging-only@/staging/ws", "/staging/ws", token)
	ok.expectFields(ok.expect("welcome", waitMessage), map[string]any{"userId": "alice"})
	ok.expect("presence.snapshot", waitMessage)

	viaParam := dialWS(t, "staging-only@/ws?dataset=staging", e.wsURL("/ws", map[string][]string{"token": {token}, "dataset": {"staging"}}))
	viaParam.expectFields(viaParam.expect("welcome", waitMessage), map[string]any{"userId": "alice"})
	viaParam.expect("presence.snapshot", waitMessage)
}
