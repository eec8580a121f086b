package cms

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc/proctest"
)

// directusVersion is the Directus the directus preset is verified against: the last
// 11.x release that runs on Node.js 18 and 20 (later ones need Node.js 22).
const directusVersion = "11.3.5"

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
func startDirectus(t *testing.T) *client {
	t.Helper()
	bin := filepath.Join(npmInstall(t, "directus-"+directusVersion, "directus@"+directusVersion), "node_modules", ".bin", "directus")
	dir := t.TempDir()
	key, secret := randomHex(t), randomHex(t)
	// env is Directus's configuration for listening on upstream.
	env := func(upstream string) []string {
		_, port, _ := net.SplitHostPort(upstream)
		return append(os.Environ(),
			"HOST=127.0.0.1", "PORT="+port, "PUBLIC_URL=http://"+upstream,
			"DB_CLIENT=sqlite3", "DB_FILENAME="+filepath.Join(dir, "data.db"),
			"KEY="+key, "SECRET="+secret,
			"ADMIN_EMAIL="+adminEmail, "ADMIN_PASSWORD="+adminPassword,
			"STORAGE_LOCATIONS=local", "STORAGE_LOCAL_ROOT="+filepath.Join(dir, "uploads"),
			"EXTENSIONS_PATH="+filepath.Join(dir, "extensions"),
			"TELEMETRY=false", "LOG_LEVEL=warn", "RATE_LIMITER_ENABLED=false", "CACHE_ENABLED=false",
		)
	}
	for _, sub := range []string{"uploads", "extensions"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	upstream := proctest.FreeAddr(t)
	bootstrap := exec.Command(bin, "bootstrap")
	bootstrap.Dir, bootstrap.Env = dir, env(upstream)
	if out, err := bootstrap.CombinedOutput(); err != nil {
		t.Fatalf("directus bootstrap: %v\n%s", err, out)
	}
	first := true
	proctest.StartListening(t, 60*time.Second, func() (*childproc.Process, func() error) {
		if !first { // the port was taken: pick a new one
			upstream = proctest.FreeAddr(t)
		}
		first = false
		start := exec.Command(bin, "start")
		start.Dir, start.Env = dir, env(upstream)
		return proctest.Start(t, "directus", start), func() error { return probe("http://" + upstream + "/server/ping") }
	})
	d := &client{t: t, secret: randomHex(t)}
	d.sidecar = startSidecar(t, d.secret, "directus", "", upstream, "/server/ping")
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
func (d *client) createCollection() {
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
func (d *client) write(method, path string, body any) string {
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
func (d *client) writeMany(method, path string, body any) []string {
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
