package e2e

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

func TestExpiredTokenClosesLiveSocket(t *testing.T) {
	e := newEnv(t)
	claims := userClaims("alice", "Alice")
	claims["exp"] = time.Now().Add(2 * time.Second).Unix()
	c := e.dial("short-lived", "/ws", e.signed(claims))
	c.expect("welcome", waitMessage)
	c.expect("presence.snapshot", waitMessage)
	c.ping()
	c.expectClose(closeBadToken, 5*time.Second)
}

func TestAuthMessageRefreshesToken(t *testing.T) {
	e := newEnv(t)
	claims := userClaims("alice", "Alice")
	claims["exp"] = time.Now().Add(2 * time.Second).Unix()
	c := e.dial("refreshed", "/ws", e.signed(claims))
	c.expect("welcome", waitMessage)
	c.expect("presence.snapshot", waitMessage)

	c.send(map[string]any{"type": "auth", "token": e.token("bob", "Bob")})
	c.expectFields(c.expect("error", waitMessage), map[string]any{"code": "bad_token"})
	c.send(map[string]any{"type": "auth", "token": "garbage"})
	c.expectFields(c.expect("error", waitMessage), map[string]any{"code": "bad_token"})

	c.send(map[string]any{"type": "auth", "token": e.token("alice", "Alice")})
	c.expect("authenticated", waitMessage)
	time.Sleep(3 * time.Second) // past the first token's expiry
	c.ping()
}

func TestOriginPolicy(t *testing.T) {
	e := newEnv(t)
	u := e.wsURL("/ws", url.Values{"token": {e.token("alice", "Alice")}})
	withOrigin := func(origin string) ws.Dialer {
		return ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Origin": {origin}})}
	}

	_, err := dialWSWith(t, "cross-site", u, withOrigin("http://evil.example"))
	var status ws.StatusError
	if !errors.As(err, &status) || int(status) != http.StatusForbidden {
		t.Errorf("upgrade from a foreign origin: %v, want refused with 403", err)
	}

	c, err := dialWSWith(t, "same-site", u, withOrigin("http://"+e.caddy.cfg.HTTPAddr))
	if err != nil {
		t.Fatalf("upgrade from the site's own origin: %v", err)
	}
	c.expect("welcome", waitMessage)

	noOrigin := dialWS(t, "no origin (not a browser)", u)
	noOrigin.expect("welcome", waitMessage)
}

func TestShutdownClosesSocketsWith1001(t *testing.T) {
	e := newEnv(t)
	prod, _ := e.connect("/ws", "alice", "Alice")
	stag, _ := e.connect("/staging/ws", "bob", "Bob")
	e.caddy.proc.Stop()
	prod.expectClose(1001, waitMessage)
	stag.expectClose(1001, waitMessage)
}
