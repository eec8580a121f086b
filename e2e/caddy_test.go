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
)

// siteConfig fills caddyfileTemplate.
type siteConfig struct {
	HTTPAddr  string // host:port the site listens on
	AdminAddr string // host:port of Caddy's admin endpoint
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
	var b bytes.Buffer
	if err := caddyfileTemplate.Execute(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// caddyServer is a running `caddy run` of the binary under test.
type caddyServer struct {
	cfg        siteConfig
	configPath string
	env        []string
	proc       *process
}

// startCaddy writes cfg to a Caddyfile and runs Caddy with it until the test
// ends, waiting until the site proxies to json-server.
func startCaddy(t *testing.T, cfg siteConfig) *caddyServer {
	t.Helper()
	dir := t.TempDir()
	c := &caddyServer{
		cfg:        cfg,
		configPath: filepath.Join(dir, "Caddyfile"),
		// Keep Caddy's autosave and certificate storage inside the test.
		env: append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir),
	}
	first := true
	c.proc = startListening(t, 30*time.Second, func() (*process, func() error) {
		if !first { // the ports were taken: pick new ones
			c.cfg.HTTPAddr, c.cfg.AdminAddr = loopback(freePort(t)), loopback(freePort(t))
		}
		first = false
		if err := os.WriteFile(c.configPath, c.cfg.render(t), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(caddyBin, "run", "--config", c.configPath, "--adapter", "caddyfile")
		cmd.Dir = dir
		cmd.Env = c.env
		// Ready when json-server answers through Caddy; the path is one no
		// test uses, so that the probe warms no document cache.
		return startProcess(t, "caddy", cmd), func() error {
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
	})
	return c
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
