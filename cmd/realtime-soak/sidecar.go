package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
)

// moduleRoot finds the project's go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/caddy-cms-realtime/caddy-cms-realtime\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the caddy-cms-realtime checkout")
		}
		dir = parent
	}
}

// buildCaddy builds ./cmd/caddy, the standard Caddy main with the module,
// into dir.
func buildCaddy(root, dir string) (string, error) {
	bin := filepath.Join(dir, "caddy")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/caddy")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/caddy: %w", err)
	}
	return bin, nil
}

// seedPosts is the number of posts json-server starts with; the writes
// update them.
const seedPosts = 50

// startJSONServer runs json-server with a database of seedPosts posts kept
// in dir and returns it with its address once it answers.
func startJSONServer(root, dir string) (*childproc.Process, string, error) {
	bin := filepath.Join(root, "node_modules", "json-server", "lib", "cli", "bin.js") // 0.17; .bin/json-server may be the 1.x alias
	if _, err := os.Stat(bin); err != nil {
		return nil, "", fmt.Errorf("json-server is not installed (%w): run `npm ci` at the repository root", err)
	}
	var db strings.Builder
	db.WriteString(`{"posts":[`)
	for i := 1; i <= seedPosts; i++ {
		if i > 1 {
			db.WriteByte(',')
		}
		fmt.Fprintf(&db, `{"id":%d,"title":"Post %d","status":"published"}`, i, i)
	}
	db.WriteString(`],"comments":[]}`)
	dbPath := filepath.Join(dir, "db.json")
	if err := os.WriteFile(dbPath, []byte(db.String()), 0o600); err != nil {
		return nil, "", err
	}
	var addr string
	p, err := childproc.StartListening(30*time.Second, func() (*childproc.Process, func() error, error) {
		port, err := childproc.FreePort()
		if err != nil {
			return nil, nil, err
		}
		addr = childproc.Loopback(port)
		cmd := exec.Command("node", bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--quiet", dbPath)
		cmd.Dir = dir
		p, err := childproc.Start("json-server", cmd)
		return p, getOK("http://" + addr + "/posts/1"), err
	})
	return p, addr, err
}

// sidecar is the Caddy under soak.
type sidecar struct {
	proc  *childproc.Process
	addr  string // host:port of the site
	admin string // host:port of the admin endpoint
}

// caddyfile is the sidecar as the README configures it, in front of
// json-server, with the admin endpoint (and so /debug/pprof/) on loopback.
func (s *sidecar) caddyfile(upstream string) string {
	return fmt.Sprintf(`{
	admin %s
	auto_https off
	persist_config off
}

http://%s {
	bind 127.0.0.1
	cms_realtime {
		jwt_secret {env.SOAK_JWT_SECRET}
		dataset production
		preset json-server
	}
	reverse_proxy %s
}
`, s.admin, s.addr, upstream)
}

// startSidecar runs bin with the Caddyfile written into dir, in front of
// upstream, and returns it once it proxies to upstream.
func startSidecar(bin, dir, upstream string) (*sidecar, error) {
	s := &sidecar{}
	conf := filepath.Join(dir, "Caddyfile")
	// Caddy's storage and autosave stay in the scratch directory.
	home := filepath.Join(dir, "home")
	env := append(os.Environ(), "SOAK_JWT_SECRET="+soakSecret, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home)
	var err error
	s.proc, err = childproc.StartListening(60*time.Second, func() (*childproc.Process, func() error, error) {
		for _, addr := range []*string{&s.addr, &s.admin} {
			port, err := childproc.FreePort()
			if err != nil {
				return nil, nil, err
			}
			*addr = childproc.Loopback(port)
		}
		if err := os.WriteFile(conf, []byte(s.caddyfile(upstream)), 0o600); err != nil {
			return nil, nil, err
		}
		cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
		cmd.Dir = dir
		cmd.Env = env
		p, err := childproc.Start("caddy", cmd)
		return p, getOK("http://" + s.addr + "/posts/1"), err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// getOK is a readiness check: url answers 200.
func getOK(url string) func() error {
	return func() error {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	}
}

// tail returns the last lines of a process's output, for error messages.
func tail(p *childproc.Process, lines int) string {
	out := strings.Split(strings.TrimRight(p.Output(), "\n"), "\n")
	return strings.Join(out[max(len(out)-lines, 0):], "\n")
}
