package e2e

import (
	"fmt"
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

// seedDB is the json-server database every test starts from.
const seedDB = `{
  "posts": [
    {"id": 1, "title": "Hello", "status": "draft", "author": "alice"},
    {"id": 2, "title": "Second", "status": "published", "author": "bob"}
  ],
  "comments": [
    {"id": 1, "postId": 1, "body": "First!"}
  ]
}
`

// startJSONServer runs json-server 0.17 on a free loopback port with a fresh
// copy of db and returns its base URL. It honours `_method` through the
// query-method-override middleware.
func startJSONServer(t *testing.T, db string) string {
	t.Helper()
	requireNodeModules(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db.json")
	if err := os.WriteFile(dbPath, []byte(db), 0o644); err != nil {
		t.Fatal(err)
	}
	var base string
	proctest.StartListening(t, 30*time.Second, func() (*childproc.Process, func() error) {
		port := proctest.FreePort(t)
		cmd := exec.Command("node", jsonServer,
			"--host", "127.0.0.1",
			"--port", strconv.Itoa(port),
			"--middlewares", filepath.Join(repoRoot, "e2e", "testdata", "query-method-override.js"),
			"--quiet",
			dbPath)
		cmd.Dir = dir
		base = "http://" + childproc.Loopback(port)
		return proctest.Start(t, "json-server", cmd), func() error {
			resp, err := http.Get(base + "/db")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET /db: %s", resp.Status)
			}
			return nil
		}
	})
	return base
}
