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

// loggedConfig fills loggedCaddyfile: Caddy with its default logger at
// DEBUG (where handler errors such as a refused origin are logged, with the
// request) and an access log at DEBUG written to a file, both with Caddy's
// default encoders.
type loggedConfig struct {
	siteConfig
	AccessLog      string // path of the access log
	LogCredentials bool   // the servers' log_credentials option
}

var loggedCaddyfile = template.Must(template.New("Caddyfile").Parse(`{
	admin {{.AdminAddr}}
	auto_https off
	persist_config off
	log default {
		level DEBUG
	}
{{- if .LogCredentials}}
	servers {
		log_credentials
	}
{{- end}}
}

http://{{.HTTPAddr}} {
	bind 127.0.0.1
	log {
		output file {{.AccessLog}}
		level DEBUG
	}
	cms_realtime {
		jwt_secret {{.Secret}}
		dataset production
	}
	reverse_proxy {{.Upstream}}
}
`))

// loggedEnv is an env whose Caddy runs with loggedCaddyfile.
type loggedEnv struct {
	*env
	accessLog string
}

// newLoggedEnv starts json-server and Caddy with its logs at DEBUG and,
// when logCredentials is set, the servers' log_credentials option.
func newLoggedEnv(t *testing.T, logCredentials bool) *loggedEnv {
	t.Helper()
	cms := startJSONServer(t, seedDB)
	dir := t.TempDir()
	cfg := loggedConfig{AccessLog: filepath.Join(dir, "access.log"), LogCredentials: logCredentials}
	cfg.Secret = newSecret(t)
	cfg.Upstream = cms[len("http://"):]
	c := &caddyServer{
		configPath: filepath.Join(dir, "Caddyfile"),
		env:        append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir),
	}
	c.proc = startListening(t, 30*time.Second, func() (*process, func() error) {
		cfg.HTTPAddr, cfg.AdminAddr = loopback(freePort(t)), loopback(freePort(t))
		c.cfg = cfg.siteConfig
		var b bytes.Buffer
		if err := loggedCaddyfile.Execute(&b, cfg); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.configPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(caddyBin, "run", "--config", c.configPath, "--adapter", "caddyfile")
		cmd.Dir = dir
		cmd.Env = c.env
		return startProcess(t, "caddy", cmd), func() error {
			resp, err := http.Get(c.baseURL() + "/e2e-readiness-probe")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				return fmt.Errorf("GET /e2e-readiness-probe through Caddy: %s, not json-server's 404", resp.Status)
			}
			return nil
		}
	})
	return &loggedEnv{env: &env{t: t, caddy: c}, accessLog: cfg.AccessLog}
}

// stopAndReadLogs stops Caddy, so that every log line is written, and
// returns its output (stdout and stderr) and its access log.
func (e *loggedEnv) stopAndReadLogs() (output, access string) {
	e.t.Helper()
	e.caddy.proc.stop()
	b, err := os.ReadFile(e.accessLog)
	if err != nil {
		e.t.Fatalf("access log: %v", err)
	}
	return e.caddy.proc.out.String(), string(b)
}
