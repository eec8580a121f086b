package cms

import (
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

// strapiVersion is the Strapi the strapi preset is verified against, on the SQLite
// driver Strapi's own project template installs.
const (
	strapiVersion       = "5.54.0"
	betterSQLiteVersion = "11.9.1"
)

// articleUID is the admin's name of the test project's one content type.
const articleUID = "/content-manager/collection-types/api::article.article"

func TestStrapi(t *testing.T) {
	c := startStrapi(t)

	// The first admin and a full-access API token, through the sidecar: no events.
	var admin struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	c.decode(c.request(http.MethodPost, "/admin/register-admin", map[string]any{
		"email": "admin@example.com", "password": "E2e-strapi-password1", "firstname": "Ann", "lastname": "Admin",
	}, http.StatusOK), &admin)
	adminToken := admin.Data.Token
	c.token = adminToken
	var apiToken struct {
		Data struct {
			AccessKey string `json:"accessKey"`
		} `json:"data"`
	}
	c.decode(c.request(http.MethodPost, "/admin/api-tokens", map[string]any{
		"name": "e2e", "description": "", "type": "full-access", "lifespan": nil,
	}, http.StatusCreated), &apiToken)

	s := dial(t, wsURL(t, c.sidecar, c.secret))
	s.subscribe(`*[defined(_id)]`)

	// The content API: a POST publishes, ?status=draft writes only the draft.
	c.token = apiToken.Data.AccessKey
	live := c.document(http.MethodPost, "/api/articles", map[string]any{"data": map[string]any{"title": "Live"}}, http.StatusCreated)
	s.expectMutation(live, "article", "create")
	c.document(http.MethodPut, "/api/articles/"+live+"?status=draft", map[string]any{"data": map[string]any{"title": "Live, draft edit"}}, http.StatusOK)
	s.expectMutation(live, "article", "update")
	c.document(http.MethodPut, "/api/articles/"+live, map[string]any{"data": map[string]any{"title": "Live, edited"}}, http.StatusOK)
	s.expectMutation(live, "article", "update")
	draft := c.document(http.MethodPost, "/api/articles?status=draft", map[string]any{"data": map[string]any{"title": "Draft"}}, http.StatusCreated)
	s.expectMutation(draft, "article", "create")
	c.document(http.MethodPut, "/api/articles/"+draft, map[string]any{"data": map[string]any{"title": "Draft, published"}}, http.StatusOK)
	s.expectMutation(draft, "article", "publish")
	c.request(http.MethodDelete, "/api/articles/"+live, nil, http.StatusNoContent)
	s.expectMutation(live, "article", "delete")

	// The admin's content manager: drafts, publish and unpublish actions.
	c.token = adminToken
	doc := c.document(http.MethodPost, articleUID, map[string]any{"title": "Admin draft"}, http.StatusCreated)
	s.expectMutation(doc, "article", "create")
	c.document(http.MethodPut, articleUID+"/"+doc, map[string]any{"title": "Admin draft 2"}, http.StatusOK)
	s.expectMutation(doc, "article", "update")
	c.document(http.MethodPost, articleUID+"/"+doc+"/actions/publish", map[string]any{}, http.StatusOK)
	s.expectMutation(doc, "article", "publish")
	c.document(http.MethodPut, articleUID+"/"+doc, map[string]any{"title": "Admin draft 3"}, http.StatusOK)
	s.expectMutation(doc, "article", "update")
	c.document(http.MethodPost, articleUID+"/"+doc+"/actions/unpublish", map[string]any{}, http.StatusOK)
	s.expectMutation(doc, "article", "unpublish")
	c.request(http.MethodDelete, articleUID+"/"+doc, nil, http.StatusOK)
	s.expectMutation(doc, "article", "delete")

	// Reads and failed writes send nothing.
	c.request(http.MethodGet, articleUID, nil, http.StatusOK)
	c.request(http.MethodPut, articleUID+"/nosuchdocument000000000", map[string]any{"title": "x"}, http.StatusNotFound)
	s.expectNothing()
}

// startStrapi installs Strapi if needed, starts the test project on a fresh SQLite
// database and the sidecar in front of it.
func startStrapi(t *testing.T) *client {
	t.Helper()
	modules := filepath.Join(npmInstall(t, "strapi-"+strapiVersion, "@strapi/strapi@"+strapiVersion, "better-sqlite3@"+betterSQLiteVersion), "node_modules")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "strapi"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	// The upload plugin needs its folder even when nothing is uploaded.
	if err := os.MkdirAll(filepath.Join(dir, "public", "uploads"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Strapi starts only in a project that depends on it.
	pkg := `{"name": "e2e-strapi", "private": true, "version": "0.0.0", "dependencies": {"@strapi/strapi": "` + strapiVersion + `", "better-sqlite3": "` + betterSQLiteVersion + `"}}`
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkg+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys := []string{
		"APP_KEYS=" + randomHex(t) + "," + randomHex(t), "ADMIN_JWT_SECRET=" + randomHex(t),
		"API_TOKEN_SALT=" + randomHex(t), "TRANSFER_TOKEN_SALT=" + randomHex(t), "ENCRYPTION_KEY=" + randomHex(t),
	}
	var upstream string
	proctest.StartListening(t, 3*time.Minute, func() (*childproc.Process, func() error) {
		port := proctest.FreePort(t)
		upstream = childproc.Loopback(port)
		cmd := exec.Command(filepath.Join(modules, ".bin", "strapi"), "start")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"HOST=127.0.0.1", "PORT="+strconv.Itoa(port), "NODE_ENV=production",
			"DATABASE_FILENAME="+filepath.Join(dir, "data.db"),
			"STRAPI_TELEMETRY_DISABLED=true",
		)
		cmd.Env = append(cmd.Env, keys...)
		return proctest.Start(t, "strapi", cmd), func() error { return probe("http://" + upstream + "/_health") }
	})
	c := &client{t: t, secret: randomHex(t)}
	c.sidecar = startSidecar(t, c.secret, "strapi", "", upstream, "/_health")
	return c
}

// document sends a write through the sidecar and returns the documentId it answers.
func (c *client) document(method, path string, body any, want int) string {
	c.t.Helper()
	var res struct {
		Data struct {
			DocumentID string `json:"documentId"`
		} `json:"data"`
	}
	c.decode(c.request(method, path, body, want), &res)
	if res.Data.DocumentID == "" {
		c.t.Fatalf("%s %s answered no documentId", method, path)
	}
	return res.Data.DocumentID
}
