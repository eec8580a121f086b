package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// child is a server process the soak started, its output in a log file.
type child struct {
	name    string
	cmd     *exec.Cmd
	logPath string
}

func startChild(name string, cmd *exec.Cmd, dir string) (*child, error) {
	c := &child{name: name, cmd: cmd, logPath: filepath.Join(dir, name+".log")}
	logf, err := os.Create(c.logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// stop interrupts the process, then kills it if it has not exited in 10 s.
func (c *child) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// seedPosts is the number of posts json-server starts with; the writes
// update them.
const seedPosts = 50

// startJSONServer runs json-server on port with a database of seedPosts
// posts kept in dir.
func startJSONServer(root, dir string, port int) (*child, error) {
	bin := filepath.Join(root, "node_modules", "json-server", "lib", "cli", "bin.js") // 0.17; .bin/json-server may be the 1.x alias
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("json-server is not installed (%w): run `npm ci` at the repository root", err)
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
		return nil, err
	}
	cmd := exec.Command("node", bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--quiet", dbPath)
	cmd.Dir = dir
	return startChild("json-server", cmd, dir)
}

// caddyfile is the sidecar as the README configures it, in front of
// json-server, with the admin endpoint (and so /debug/pprof/) on loopback.
func caddyfile(port, adminPort int, upstream string) string {
	return fmt.Sprintf(`{
	admin 127.0.0.1:%d
	auto_https off
	persist_config off
}

http://127.0.0.1:%d {
	bind 127.0.0.1
	cms_realtime {
		jwt_secret {env.SOAK_JWT_SECRET}
		dataset production
		preset json-server
	}
	reverse_proxy %s
}
`, adminPort, port, upstream)
}

// startCaddy runs bin with caddyfile(…) written into dir.
func startCaddy(bin, dir string, port, adminPort int, upstream string) (*child, error) {
	conf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(conf, []byte(caddyfile(port, adminPort, upstream)), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
	cmd.Dir = dir
	// Caddy's storage and autosave stay in the scratch directory.
	home := filepath.Join(dir, "home")
	cmd.Env = append(os.Environ(), "SOAK_JWT_SECRET="+soakSecret, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home)
	return startChild("caddy", cmd, dir)
}

// waitOK polls url until it answers 200, or timeout.
func waitOK(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last lines of a log file, for error messages.
func tail(path string, lines int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var last []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		last = append(last, sc.Text())
		if len(last) > lines {
			last = last[1:]
		}
	}
	return strings.Join(last, "\n")
}
