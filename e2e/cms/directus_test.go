package cms

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// directusVersion is the Directus the directus preset is verified against: the last
// 11.x release that runs on Node.js 18 and 20 (later ones need Node.js 22).
const directusVersion = "11.3.5"

// directus is a Directus server on SQLite and the sidecar in front of it.
type directus struct {
	t       *testing.T
	sidecar string // http://host:port of Caddy
	token   string // the admin's access token
	secret  string // the sidecar's jwt_secret
}

func TestDirectus(t *testing.T) {
	d := startDirectus(t)
	d.createCollection()

	// Every document: whatever the sidecar wrongly took for one would arrive too.
	s := dial(t, wsURL(t, d.sidecar, d.secret))
	s.subscribe(`*[defined(_id)]`)

	// Create, edit, publish, archive (unpublish), republish, delete.
	id := d.write(http.MethodPost, "/items/articles", map[string]any{"title": "Hello", "status": "draft"})
	s.expectMutation(id, "articles", "create")
	d.write(http.MethodPatch, "/items/articles/"+id, map[string]any{"title": "Hello, world"})
	s.expectMutation(id, "articles", "update")
	d.write(http.MethodPatch, "/items/articles/"+id, map[string]any{"status": "published"})
	s.expectMutation(id, "articles", "publish")
	d.write(http.MethodPatch, "/items/articles/"+id, map[string]any{"status": "archived"})
	s.expectMutation(id, "articles", "unpublish")
	d.write(http.MethodPatch, "/items/articles/"+id, map[string]any{"status": "published"})
	s.expectMutation(id, "articles", "publish")
	d.write(http.MethodDelete, "/items/articles/"+id, nil)
	s.expectMutation(id, "articles", "delete")

	// Batches: every item is an event, in response order.
	ids := d.writeMany(http.MethodPost, "/items/articles", []map[string]any{
		{"title": "A", "status": "draft"},
		{"title": "B", "status": "published"},
	})
	s.expectMutation(ids[0], "articles", "create")
	s.expectMutation(ids[1], "articles", "create")
	d.writeMany(http.MethodPatch, "/items/articles", map[string]any{"keys": ids, "data": map[string]any{"status": "published"}})
	s.expectMutation(ids[0], "articles", "publish")
	s.expectMutation(ids[1], "articles", "update")

	// Reads, failed writes and writes that are not documents send nothing. Directus
	// answers an update of a missing item with 204, which names no known document.
	d.request(http.MethodGet, "/items/articles", nil, http.StatusOK)
	d.request(http.MethodPatch, "/items/articles/999999", map[string]any{"title": "x"}, http.StatusNoContent)
	d.request(http.MethodPost, "/items/missing", map[string]any{"title": "x"}, http.StatusForbidden)
	d.request(http.MethodPatch, "/users/me", map[string]any{"first_name": "Ann"}, http.StatusOK)
	d.request(http.MethodPost, "/auth/login", map[string]any{"email": adminEmail, "password": adminPassword}, http.StatusOK)
	s.expectNothing()
}

const (
	adminEmail    = "admin@example.com"
	adminPassword = "e2e-directus-password"
)

// startDirectus installs Directus if needed, bootstraps it on a fresh SQLite database,
// starts it and the sidecar in front of it, and logs in as the admin.
func startDirectus(t *testing.T) *directus {
	t.Helper()
	bin := filepath.Join(npmInstall(t, "directus-"+directusVersion, "directus@"+directusVersion), "node_modules", ".bin", "directus")
	dir := t.TempDir()
	upstream := freeAddr(t)
	_, port, err := net.SplitHostPort(upstream)
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"HOST=127.0.0.1", "PORT="+port, "PUBLIC_URL=http://"+upstream,
		"DB_CLIENT=sqlite3", "DB_FILENAME="+filepath.Join(dir, "data.db"),
		"KEY="+randomHex(t), "SECRET="+randomHex(t),
		"ADMIN_EMAIL="+adminEmail, "ADMIN_PASSWORD="+adminPassword,
		"STORAGE_LOCATIONS=local", "STORAGE_LOCAL_ROOT="+filepath.Join(dir, "uploads"),
		"EXTENSIONS_PATH="+filepath.Join(dir, "extensions"),
		"TELEMETRY=false", "LOG_LEVEL=warn", "RATE_LIMITER_ENABLED=false", "CACHE_ENABLED=false",
	)
	for _, sub := range []string{"uploads", "extensions"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bootstrap := exec.Command(bin, "bootstrap")
	bootstrap.Dir, bootstrap.Env = dir, env
	if out, err := bootstrap.CombinedOutput(); err != nil {
		t.Fatalf("directus bootstrap: %v\n%s", err, out)
	}
	start := exec.Command(bin, "start")
	start.Dir, start.Env = dir, env
	p := startProcess(t, "directus", start)
	waitUntil(t, p, 60*time.Second, func() error { return probe("http://" + upstream + "/server/ping") })

	d := &directus{t: t, secret: randomHex(t)}
	d.sidecar = startSidecar(t, d.secret, "directus", upstream, "/server/ping")
	var login struct {
		Data struct {
			AccessToken string `json:"access_token"`
		} `json:"data"`
	}
	d.decode(d.request(http.MethodPost, "/auth/login", map[string]any{"email": adminEmail, "password": adminPassword}, http.StatusOK), &login)
	if login.Data.AccessToken == "" {
		t.Fatal("login through the sidecar gave no access token")
	}
	d.token = login.Data.AccessToken
	return d
}

// createCollection creates the articles collection with Directus's usual status field.
func (d *directus) createCollection() {
	d.t.Helper()
	d.request(http.MethodPost, "/collections", map[string]any{
		"collection": "articles",
		"schema":     map[string]any{},
		"meta":       map[string]any{"archive_field": "status", "archive_value": "archived", "unarchive_value": "draft"},
		"fields": []map[string]any{
			{"field": "id", "type": "integer", "meta": map[string]any{"hidden": true, "readonly": true}, "schema": map[string]any{"is_primary_key": true, "has_auto_increment": true}},
			{"field": "status", "type": "string", "meta": map[string]any{"interface": "select-dropdown"}, "schema": map[string]any{"default_value": "draft", "is_nullable": false}},
			{"field": "title", "type": "string", "meta": map[string]any{"interface": "input"}, "schema": map[string]any{}},
		},
	}, http.StatusOK)
}

// write sends one item write through the sidecar and returns the item's id.
func (d *directus) write(method, path string, body any) string {
	d.t.Helper()
	want := http.StatusOK
	if method == http.MethodDelete {
		want = http.StatusNoContent
	}
	var res struct {
		Data struct {
			ID json.Number `json:"id"`
		} `json:"data"`
	}
	d.decode(d.request(method, path, body, want), &res)
	return res.Data.ID.String()
}

// writeMany sends a batch write through the sidecar and returns the items' ids.
func (d *directus) writeMany(method, path string, body any) []string {
	d.t.Helper()
	var res struct {
		Data []struct {
			ID json.Number `json:"id"`
		} `json:"data"`
	}
	d.decode(d.request(method, path, body, http.StatusOK), &res)
	ids := make([]string, len(res.Data))
	for i, item := range res.Data {
		ids[i] = item.ID.String()
	}
	return ids
}

// request sends a request through the sidecar and fails the test unless it answers
// want; it returns the body.
func (d *directus) request(method, path string, body any, want int) []byte {
	d.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			d.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.sidecar+path, r)
	if err != nil {
		d.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if d.token != "" {
		req.Header.Set("Authorization", "Bearer "+d.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode != want {
		d.t.Fatalf("%s %s: %s, want %d: %s", method, path, resp.Status, want, b)
	}
	return b
}

func (d *directus) decode(b []byte, v any) {
	d.t.Helper()
	if len(b) == 0 {
		return
	}
	if err := json.Unmarshal(b, v); err != nil {
		d.t.Fatalf("decode %s: %v", b, err)
	}
}

func probe(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
