package cms

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc/proctest"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/infer"
)

// fixture is the part of an internal/infer fixture the replay needs: the preset and
// the request/response pairs with the changes each must give.
type fixture struct {
	Preset string          `json:"preset"`
	Config json.RawMessage `json:"config"`
	Steps  []struct {
		Method      string          `json:"method"`
		Path        string          `json:"path"`
		Query       string          `json:"query"`
		Status      int             `json:"status"`
		ContentType string          `json:"content_type"`
		Body        json.RawMessage `json:"body"`
		BodyText    string          `json:"body_text"`
		Want        []string        `json:"want"`
	} `json:"steps"`
}

// TestReplayFixtures replays the preset fixtures of internal/infer through the real
// sidecar: a test upstream answers each request with the fixture's response, and a
// WebSocket client must receive exactly the fixture's changes. A fixture that
// configures the engine beyond the preset is run with the Caddyfile subdirectives
// that say the same (id_field, collection, ignore, …).
func TestReplayFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "internal", "infer", "testdata", "fixtures", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	presets := map[string]bool{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var fx fixture
		if err := json.Unmarshal(raw, &fx); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		presets[fx.Preset] = true
		name := fx.Preset + "/" + strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) { replay(t, fx) })
	}
	for _, p := range []string{"wordpress", "strapi", "directus", "ghost", "payload", "json-server"} {
		if !presets[p] {
			t.Errorf("no fixture of preset %s was replayed", p)
		}
	}
}

// subdirectives renders the fixture's engine configuration as the Caddyfile lines
// that configure the same.
func (fx fixture) subdirectives(t *testing.T) string {
	t.Helper()
	if fx.Config == nil {
		return ""
	}
	var cfg infer.Config
	if err := json.Unmarshal(fx.Config, &cfg); err != nil {
		t.Fatalf("fixture config: %v", err)
	}
	var b strings.Builder
	for sub, v := range map[string]string{"id_field": cfg.IDField, "type_field": cfg.TypeField, "status_field": cfg.StatusField, "envelope": cfg.Envelope, "type": cfg.RouteType} {
		if v != "" {
			fmt.Fprintf(&b, "\t\t%s %s\n", sub, v)
		}
	}
	if len(cfg.PublishedValues) > 0 {
		fmt.Fprintf(&b, "\t\tpublished_values %s\n", strings.Join(cfg.PublishedValues, " "))
	}
	for _, c := range cfg.Collections {
		fmt.Fprintf(&b, "\t\tcollection %s %s\n", c.Path, c.Type)
	}
	for _, p := range cfg.Ignore {
		fmt.Fprintf(&b, "\t\tignore %s\n", p)
	}
	return b.String()
}

// probePath is the path the replay's upstream answers 204 without a body, which the
// sidecar's readiness probe uses: it is no document and warms nothing.
const probePath = "/e2e-readiness-probe"

func replay(t *testing.T, fx fixture) {
	var (
		mu   sync.Mutex
		next int // the step the upstream answers
	)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == probePath {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		mu.Lock()
		step := fx.Steps[next]
		mu.Unlock()
		ct := step.ContentType
		if ct == "" {
			ct = "application/json; charset=utf-8"
		}
		body := []byte(step.BodyText)
		if len(step.Body) > 0 {
			body = step.Body
		}
		if len(body) > 0 {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(step.Status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(upstream.Close)

	secret := randomHex(t)
	base := startSidecar(t, secret, fx.Preset, fx.subdirectives(t), strings.TrimPrefix(upstream.URL, "http://"), probePath)
	s := dial(t, wsURL(t, base, secret))
	s.subscribe(`*[defined(_id)]`)
	for i, step := range fx.Steps {
		mu.Lock()
		next = i
		mu.Unlock()
		url := base + step.Path
		if step.Query != "" {
			url += "?" + step.Query
		}
		req, err := http.NewRequest(step.Method, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != step.Status {
			t.Fatalf("step %d: %s %s answered %s through the sidecar, want %d", i, step.Method, step.Path, resp.Status, step.Status)
		}
		// Events arrive in response order, so a change a step should not have given
		// shows up in place of the next one's.
		for _, want := range step.Want {
			op, doc, _ := strings.Cut(want, " ")
			typ, id, _ := strings.Cut(doc, "/")
			s.expectMutation(id, typ, op)
		}
	}
	s.expectNothing()
}

// startSidecar runs Caddy with cms_realtime, preset and the extra subdirective lines
// in front of upstream, and returns its base URL once a GET of probePath answers 2xx
// through it.
func startSidecar(t *testing.T, secret, preset, extra, upstream, probePath string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Caddyfile")
	var base string
	proctest.StartListening(t, 30*time.Second, func() (*childproc.Process, func() error) {
		addr := proctest.FreeAddr(t)
		caddyfile := fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
}

http://%s {
	bind 127.0.0.1
	cms_realtime {
		jwt_secret %s
		dataset production
		preset %s
%s	}
	reverse_proxy %s
}
`, addr, secret, preset, extra, upstream)
		if err := os.WriteFile(path, []byte(caddyfile), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(caddyBin, "run", "--config", path, "--adapter", "caddyfile")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
		base = "http://" + addr
		return proctest.Start(t, "caddy", cmd), func() error { return probe(base + probePath) }
	})
	return base
}

// wsURL is the sidecar's WebSocket URL with a token signed with secret.
func wsURL(t *testing.T, base, secret string) string {
	t.Helper()
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "editor-1", "name": "Editor", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return "ws" + strings.TrimPrefix(base, "http") + "/ws?token=" + token
}
