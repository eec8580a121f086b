package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// env is one isolated deployment: a json-server with seedDB and a Caddy
// with the two-dataset configuration in front of it.
type env struct {
	t     *testing.T
	caddy *caddyServer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWithDB(t, seedDB)
}

// newEnvWithDB is newEnv with json-server's database db.
func newEnvWithDB(t *testing.T, db string) *env {
	t.Helper()
	cms := startJSONServer(t, db)
	cfg := siteConfig{
		Secret:   newSecret(t),
		Upstream: strings.TrimPrefix(cms, "http://"),
	}
	return &env{t: t, caddy: startCaddy(t, cfg)}
}

// token returns a valid HS256 token for user sub.
func (e *env) token(sub, name string) string {
	e.t.Helper()
	return e.signed(userClaims(sub, name))
}

// signed signs claims with the deployment's secret.
func (e *env) signed(claims jwt.MapClaims) string {
	e.t.Helper()
	return signToken(e.t, jwt.SigningMethodHS256, []byte(e.caddy.cfg.Secret), claims)
}

// wsURL is the WebSocket URL of path (such as /ws or /staging/ws) with the
// given query parameters.
func (e *env) wsURL(path string, query url.Values) string {
	u := url.URL{Scheme: "ws", Host: e.caddy.cfg.HTTPAddr, Path: path, RawQuery: query.Encode()}
	return u.String()
}

// dial opens a socket on path with token (none when empty).
func (e *env) dial(name, path, token string) *wsClient {
	e.t.Helper()
	q := url.Values{}
	if token != "" {
		q.Set("token", token)
	}
	return dialWS(e.t, name, e.wsURL(path, q))
}

// connect opens an authenticated socket for user sub on path, checks the
// welcome, and returns the socket with the presence snapshot that follows.
func (e *env) connect(path, sub, name string) (*wsClient, message) {
	e.t.Helper()
	c := e.dial(sub+"@"+path, path, e.token(sub, name))
	welcome := c.expect("welcome", waitMessage)
	c.expectFields(welcome, map[string]any{"userId": sub})
	c.clientID = welcome.str("clientId")
	if c.clientID == "" {
		e.t.Errorf("%s: welcome without clientId: %s", c.name, welcome)
	}
	return c, c.expect("presence.snapshot", waitMessage)
}

// request sends an HTTP request through Caddy (path starting with /) and
// returns the status and the decoded JSON body (nil when there is none).
func (e *env) request(method, path string, body any, header ...string) (int, any) {
	e.t.Helper()
	status, raw := e.requestRaw(e.caddy.baseURL(), method, path, body, header...)
	var v any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return status, v
}

// requestRaw sends an HTTP request to base+path; header is name, value pairs.
func (e *env) requestRaw(base, method, path string, body any, header ...string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, raw
}

// write sends a write through Caddy and fails the test unless it is
// answered with status want.
func (e *env) write(want int, method, path string, body any, header ...string) any {
	e.t.Helper()
	status, v := e.request(method, path, body, header...)
	if status != want {
		e.t.Fatalf("%s %s: status %d, want %d (body %v)", method, path, status, want, v)
	}
	return v
}

// create POSTs doc to collection path (such as /posts) and returns the new
// document's id as the protocol spells it.
func (e *env) create(path string, doc map[string]any) string {
	e.t.Helper()
	v := e.write(http.StatusCreated, http.MethodPost, path, doc)
	obj, _ := v.(map[string]any)
	id, ok := obj["id"].(float64)
	if !ok {
		e.t.Fatalf("POST %s: response has no numeric id: %v", path, v)
	}
	return strconv.FormatInt(int64(id), 10)
}

var tokenParam = regexp.MustCompile(`token=[^&]*`)

// redactToken keeps tokens out of test logs, as the server keeps them out of
// its own.
func redactToken(u string) string {
	return tokenParam.ReplaceAllString(u, "token=REDACTED")
}
