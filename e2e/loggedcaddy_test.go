package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
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
	accessLog := filepath.Join(t.TempDir(), "access.log")
	cfg := siteConfig{
		Secret:   newSecret(t),
		Upstream: strings.TrimPrefix(cms, "http://"),
	}
	c := runCaddy(t, cfg, func(c siteConfig) []byte {
		return execute(t, loggedCaddyfile, loggedConfig{siteConfig: c, AccessLog: accessLog, LogCredentials: logCredentials})
	})
	return &loggedEnv{env: &env{t: t, caddy: c}, accessLog: accessLog}
}

// stopAndReadLogs stops Caddy, so that every log line is written, and
// returns its output (stdout and stderr) and its access log.
func (e *loggedEnv) stopAndReadLogs() (output, access string) {
	e.t.Helper()
	e.caddy.proc.Stop()
	b, err := os.ReadFile(e.accessLog)
	if err != nil {
		e.t.Fatalf("access log: %v", err)
	}
	return e.caddy.proc.Output(), string(b)
}
