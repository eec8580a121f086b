package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/golang-jwt/jwt/v5"
)

// usedToken is a token one of the ways in handed to the server.
type usedToken struct {
	how   string // how it was sent, and whether it was valid
	token string
}

// TestTokensNeverLogged runs Caddy as a user would configure it, with no
// log filter: the default logger and a site's access log at DEBUG. It hands
// the server valid and invalid tokens every way it takes them (query,
// Authorization header, subprotocol, auth message, SSE URL) and in refused
// requests (foreign origin, no upgrade), then greps every line Caddy wrote
// for each token and its signature.
func TestTokensNeverLogged(t *testing.T) {
	e := newLoggedEnv(t, false)
	used := useTokensEveryWay(t, e.env)
	if status, _ := e.requestRaw(e.caddy.baseURL(), http.MethodGet, "/posts/1", nil); status != http.StatusOK {
		t.Fatalf("GET /posts/1 through Caddy: %d", status)
	}
	output, access := e.stopAndReadLogs()

	for name, log := range map[string]string{"Caddy's output": output, "the access log": access} {
		for _, u := range used {
			if line, ok := lineWith(log, u.token); ok {
				t.Errorf("%s logs the token sent %s: %s", name, u.how, line)
			}
		}
	}
	// The requests were logged, with the tokens redacted: the CMS's by
	// Caddy's access log, the socket's and the stream's by the module.
	if !strings.Contains(access, `"uri":"/posts/1"`) {
		t.Errorf("the access log has no line for GET /posts/1, so the test did not see it at work:\n%s", access)
	}
	for _, want := range []string{
		`"uri":"/ws?token=REDACTED"`,
		`"uri":"/ws/sse?token=REDACTED"`,
		`"Sec-Websocket-Protocol":["cellcms, bearer.REDACTED"]`,
		`"status":101`,
		`"status":403,"error":"origin not allowed`,
		`"status":426`,
	} {
		if !strings.Contains(output, want) {
			t.Errorf("the module logged no request line with %s", want)
		}
	}
}

// TestLogCredentialsLeavesTheLinesToCaddy: a server told to log credentials
// (log_credentials) gets Caddy's own access log lines for the socket, token
// included, as for every other request.
func TestLogCredentialsLeavesTheLinesToCaddy(t *testing.T) {
	e := newLoggedEnv(t, true)
	used := useTokensEveryWay(t, e.env)
	_, access := e.stopAndReadLogs()

	logged := loggedToken(t, used)
	for _, how := range []string{"in the query", "in the subprotocol", "in the SSE query", "in the Authorization header"} {
		if !logged(access, how) {
			t.Errorf("with log_credentials, the access log does not have the token sent %s", how)
		}
	}
}

// loggedToken returns a check of whether a log has the token that was sent
// a given way.
func loggedToken(t *testing.T, used []usedToken) func(log, how string) bool {
	return func(log, how string) bool {
		t.Helper()
		for _, u := range used {
			if u.how == how {
				_, ok := lineWith(log, u.token)
				return ok
			}
		}
		t.Fatalf("no token was sent %s", how)
		return false
	}
}

// useTokensEveryWay connects, refreshes and is refused with distinct
// tokens, and returns them.
func useTokensEveryWay(t *testing.T, e *env) []usedToken {
	t.Helper()
	var used []usedToken
	fresh := func(how string, claims jwt.MapClaims) string {
		claims["jti"] = randomMarker(t)
		tok := e.signed(claims)
		used = append(used, usedToken{how, tok})
		return tok
	}
	valid := func(how string) string { return fresh(how, userClaims("alice", "Alice")) }
	otherKey := func(how string) string {
		tok := signToken(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes!"),
			jwt.MapClaims{"sub": "alice", "jti": randomMarker(t), "exp": time.Now().Add(time.Hour).Unix()})
		used = append(used, usedToken{how, tok})
		return tok
	}
	dial := func(name string, query url.Values, d ws.Dialer) *wsClient {
		c, err := dialWSWith(t, name, e.wsURL("/ws", query), d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return c
	}
	bearer := func(tok string) ws.Dialer {
		return ws.Dialer{Header: ws.HandshakeHeaderHTTP(http.Header{"Authorization": {"Bearer " + tok}})}
	}
	subprotocol := func(tok string) ws.Dialer { return ws.Dialer{Protocols: []string{"cellcms", "bearer." + tok}} }

	byQuery := dial("query", url.Values{"token": {valid("in the query")}}, ws.Dialer{})
	byQuery.expect("welcome", waitMessage)
	dial("header", nil, bearer(valid("in the Authorization header"))).expect("welcome", waitMessage)
	dial("subprotocol", nil, subprotocol(valid("in the subprotocol"))).expect("welcome", waitMessage)

	byQuery.expect("presence.snapshot", waitMessage)
	byQuery.send(map[string]any{"type": "auth", "token": valid("in an auth message")})
	byQuery.expect("authenticated", waitMessage)
	byQuery.send(map[string]any{"type": "auth", "token": otherKey("in an auth message, signed with another key")})
	byQuery.expectFields(byQuery.expect("error", waitMessage), map[string]any{"code": "bad_token"})

	sse, _ := openSSE(t, e, url.Values{"token": {valid("in the SSE query")}}, "")
	sse.next("welcome")
	sse.resp.Body.Close()

	expired := fresh("in the query, expired", jwt.MapClaims{"sub": "alice", "exp": time.Now().Add(-time.Minute).Unix()})
	dial("expired", url.Values{"token": {expired}}, ws.Dialer{}).expectClose(closeBadToken, closeTimeoutForAuth)
	dial("other key", nil, bearer(otherKey("in the Authorization header, signed with another key"))).expectClose(closeBadToken, closeTimeoutForAuth)
	invalid := func(how, tok string) string {
		used = append(used, usedToken{how, tok})
		return tok
	}
	dial("garbage", nil, subprotocol(invalid("in the subprotocol, not a JWT", "not-a-jwt-"+randomMarker(t)))).expectClose(closeBadToken, closeTimeoutForAuth)
	if _, code := openSSE(t, e, url.Values{"token": {invalid("in the SSE query, not a JWT", "not-a-jwt-"+randomMarker(t))}}, ""); code != http.StatusUnauthorized {
		t.Errorf("SSE with a bad token: %d, want 401", code)
	}

	// Refused before the token is read: these requests end in a handler
	// error, which Caddy's error log records with the request.
	const evil = "http://evil.example"
	for _, c := range []struct {
		name   string
		query  url.Values
		header http.Header
		protos []string
	}{
		{"foreign origin, query", url.Values{"token": {valid("in the query from a foreign origin")}}, http.Header{"Origin": {evil}}, nil},
		{"foreign origin, header", nil, http.Header{"Origin": {evil}, "Authorization": {"Bearer " + valid("in the Authorization header from a foreign origin")}}, nil},
		{"foreign origin, subprotocol", nil, http.Header{"Origin": {evil}}, []string{"cellcms", "bearer." + valid("in the subprotocol from a foreign origin")}},
	} {
		d := ws.Dialer{Header: ws.HandshakeHeaderHTTP(c.header), Protocols: c.protos}
		if _, err := dialWSWith(t, c.name, e.wsURL("/ws", c.query), d); err == nil {
			t.Errorf("%s: upgrade accepted, want 403", c.name)
		}
	}
	status, _ := e.requestRaw(e.caddy.baseURL(), http.MethodGet, "/ws?token="+valid("in the query of a plain GET"), nil)
	if status != http.StatusUpgradeRequired {
		t.Errorf("plain GET of /ws: %d, want 426", status)
	}
	return used
}

// randomMarker is a random string no log contains by chance.
func randomMarker(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// lineWith returns the first line of log that holds token or its last
// segment (a JWT's signature), with the secret shown as <TOKEN>.
func lineWith(log, token string) (string, bool) {
	sig := token[strings.LastIndexByte(token, '.')+1:]
	for line := range strings.Lines(log) {
		if strings.Contains(line, token) || strings.Contains(line, sig) {
			line = strings.ReplaceAll(strings.ReplaceAll(line, token, "<TOKEN>"), sig, "<SIGNATURE>")
			return strings.TrimSpace(line), true
		}
	}
	return "", false
}
