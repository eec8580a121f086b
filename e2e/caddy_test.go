package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"text/template"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc/proctest"
)

// siteConfig fills caddyfileTemplate.
type siteConfig struct {
	HTTPAddr  string // host:port the site listens on, picked by runCaddy
	AdminAddr string // host:port of Caddy's admin endpoint, picked by runCaddy
	Secret    string // jwt_secret of both routes
	Upstream  string // host:port of json-server
	Extra     string // additional directives inside the site block
	// Ready checks the upstream's answer to GET /e2e-readiness-probe through
	// Caddy; nil expects json-server 0.17's 404.
	Ready func(*http.Response) error
}

// caddyfileTemplate is the configuration under test: two routes, two
// datasets, both proxying the same json-server.
var caddyfileTemplate = template.Must(template.New("Caddyfile").Parse(`{
	admin {{.AdminAddr}}
	auto_https off
	persist_config off
}

http://{{.HTTPAddr}} {
	bind 127.0.0.1
{{with .Extra}}{{.}}
{{end}}	handle_path /staging/* {
		cms_realtime {
			jwt_secret {{.Secret}}
			dataset staging
		}
		reverse_proxy {{.Upstream}}
	}
	handle {
		cms_realtime {
			jwt_secret {{.Secret}}
			dataset production
		}
		reverse_proxy {{.Upstream}}
	}
}
`))

func (c siteConfig) render(t *testing.T) []byte {
	t.Helper()
	return execute(t, caddyfileTemplate, c)
}

// execute renders tmpl with data.
func execute(t *testing.T, tmpl *template.Template, data any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// caddyServer is a running `caddy run` of the binary under test.
type caddyServer struct {
	cfg        siteConfig
	configPath string
	env        []string
	proc       *childproc.Process
}

// startCaddy runs Caddy with cfg in caddyfileTemplate until the test ends
// (see runCaddy).
func startCaddy(t *testing.T, cfg siteConfig) *caddyServer {
	t.Helper()
	return runCaddy(t, cfg, func(c siteConfig) []byte { return c.render(t) })
}

// runCaddy picks free ports for cfg's addresses, writes the Caddyfile that
// render makes of cfg and runs Caddy with it until the test ends, waiting
// until the site proxies to the upstream (see siteConfig.Ready). When the
// ports are taken before Caddy binds them, it starts again on new ones.
func runCaddy(t *testing.T, cfg siteConfig, render func(siteConfig) []byte) *caddyServer {
	t.Helper()
	dir := t.TempDir()
	c := &caddyServer{
		cfg:        cfg,
		configPath: filepath.Join(dir, "Caddyfile"),
		// Keep Caddy's autosave and certificate storage inside the test.
		env: append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir),
	}
	c.proc = proctest.StartListening(t, 30*time.Second, func() (*childproc.Process, func() error) {
		c.cfg.HTTPAddr, c.cfg.AdminAddr = proctest.FreeAddr(t), proctest.FreeAddr(t)
		if err := os.WriteFile(c.configPath, render(c.cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(caddyBin, "run", "--config", c.configPath, "--adapter", "caddyfile")
		cmd.Dir = dir
		cmd.Env = c.env
		return proctest.Start(t, "caddy", cmd), c.ready
	})
	return c
}

// ready checks that the upstream answers through Caddy (json-server's 404,
// unless cfg.Ready says otherwise); the path is one no test uses, so that
// the probe warms no document cache.
func (c *caddyServer) ready() error {
	resp, err := http.Get(c.baseURL() + "/e2e-readiness-probe")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if c.cfg.Ready != nil {
		return c.cfg.Ready(resp)
	}
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Powered-By") != "Express" {
		return fmt.Errorf("GET /e2e-readiness-probe through Caddy: %s, not json-server's 404", resp.Status)
	}
	return nil
}

func (c *caddyServer) baseURL() string { return "http://" + c.cfg.HTTPAddr }

// reload applies cfg with `caddy reload`, as an operator would.
func (c *caddyServer) reload(t *testing.T, cfg siteConfig) {
	t.Helper()
	if err := os.WriteFile(c.configPath, cfg.render(t), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(caddyBin, "reload", "--config", c.configPath, "--adapter", "caddyfile", "--address", cfg.AdminAddr)
	cmd.Env = c.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("caddy reload: %v\n%s", err, out)
	}
	c.cfg = cfg
}
