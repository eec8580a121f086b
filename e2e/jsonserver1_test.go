package e2e

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc/proctest"
)

// json-server's 1.x line answers writes differently from 0.17: string ids
// it generates itself, pretty-printed bodies, and a DELETE that returns the
// deleted document instead of {}. TestJSONServer1 runs 1.0.0-beta.3 (the
// last of the line that runs on Node 20; installed as the npm alias
// json-server-1) behind the sidecar with the json-server preset.
func TestJSONServer1(t *testing.T) {
	requireNodeModules(t)
	bin := filepath.Join(repoRoot, "node_modules", "json-server-1", "lib", "bin.js")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("json-server 1.x is not installed (%v): run `npm ci` at the repository root", err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "db.json")
	if err := os.WriteFile(db, []byte(`{"posts":[{"id":"p1","title":"Hello","status":"draft"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var upstream string
	proctest.StartListening(t, 30*time.Second, func() (*childproc.Process, func() error) {
		port := proctest.FreePort(t)
		upstream = childproc.Loopback(port)
		cmd := exec.Command("node", bin, db, "--host", "127.0.0.1", "--port", strconv.Itoa(port))
		cmd.Dir = dir
		return proctest.Start(t, "json-server 1.x", cmd), func() error {
			resp, err := http.Get("http://" + upstream + "/posts")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return errors.New("GET /posts: " + resp.Status)
			}
			return nil
		}
	})
	cfg := siteConfig{
		Secret:   newSecret(t),
		Upstream: upstream,
		Ready: func(resp *http.Response) error {
			if resp.StatusCode != http.StatusNotFound {
				return errors.New("readiness probe through Caddy: " + resp.Status)
			}
			return nil
		},
	}
	e := &env{t: t, caddy: startCaddy(t, cfg)}
	c, _ := e.connect("/ws", "alice", "Alice")
	c.subscribe(allPosts, nil)

	created := e.write(http.StatusCreated, http.MethodPost, "/posts", map[string]any{"title": "New", "status": "draft"})
	id, _ := created.(map[string]any)["id"].(string)
	if id == "" {
		t.Fatalf("json-server 1.x answered a create without a string id: %v", created)
	}
	c.expectMutation(id, "posts", "create")

	e.request(http.MethodGet, "/posts/p1", nil) // the cache learns p1 is a draft
	e.write(http.StatusOK, http.MethodPatch, "/posts/p1", map[string]any{"status": "published"})
	c.expectMutation("p1", "posts", "publish")
	e.write(http.StatusOK, http.MethodPut, "/posts/p1", map[string]any{"title": "Hello again", "status": "draft"})
	c.expectMutation("p1", "posts", "unpublish")
	e.write(http.StatusOK, http.MethodDelete, "/posts/"+id, nil)
	c.expectMutation(id, "posts", "delete")
	if status, _ := e.requestRaw(e.caddy.baseURL(), http.MethodPatch, "/posts/nope", map[string]any{"title": "x"}); status != http.StatusNotFound {
		t.Fatalf("PATCH of a missing post answered %d, want 404", status)
	}
	c.expectNothing(quiet)
}
