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
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
)

// Targets a run can measure.
const (
	targetOurs       = "ours"
	targetGobws      = "gobws"
	targetCentrifuge = "centrifuge"
)

// server is one server process under measurement.
type server struct {
	target   string
	proto    string // what its clients speak
	proc     *childproc.Process
	addr     string // host:port of its site
	wsURL    string
	postURL  string // a POST of {"id":…} here produces one event
	plainURL string // proxy mode: plain reverse_proxy in front of the same upstream
	pprofURL string // base URL of /debug/pprof/
}

// serverOptions say what a run needs from its server.
type serverOptions struct {
	target        string
	dir           string // scratch directory
	upstream      string // the CMS the sidecar fronts (ours only)
	plainProxy    bool   // also serve plain reverse_proxy (ours only)
	centrifugeSrc string // directory of the centrifuge-target module
}

// startTimeout is how long a server may take to listen.
const startTimeout = 60 * time.Second

// startServer starts the target and returns it once it accepts
// connections. A start whose ports were taken meanwhile is tried again on
// fresh ones.
func startServer(o serverOptions) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var bin string // the centrifuge target, built once
	if o.target == targetCentrifuge {
		if bin, err = buildCentrifuge(o.centrifugeSrc, o.dir); err != nil {
			return nil, err
		}
	}
	s := &server{target: o.target, proto: protoSidecar}
	s.proc, err = childproc.StartListening(startTimeout, func() (*childproc.Process, func() error, error) {
		cmd, err := s.command(o, exe, bin)
		if err != nil {
			return nil, nil, err
		}
		cmd.Env = append(os.Environ(), "JWT_SECRET="+benchSecret)
		p, err := childproc.Start(o.target, cmd)
		return p, accepts(s.addr), err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// command picks the server's ports, sets its URLs and returns the command
// that runs it: exe, the bench binary, in the ours and gobws modes, or bin,
// the centrifuge target.
func (s *server) command(o serverOptions, exe, bin string) (*exec.Cmd, error) {
	port, err := childproc.FreePort()
	if err != nil {
		return nil, err
	}
	base := childproc.Loopback(port)
	s.addr = base
	s.postURL = "http://" + base + "/post"
	s.wsURL = "ws://" + base + "/ws"
	s.pprofURL = "http://" + base + "/debug/pprof/"
	switch o.target {
	case targetOurs:
		adminPort, err := childproc.FreePort()
		if err != nil {
			return nil, err
		}
		plainPort := 0
		if o.plainProxy {
			if plainPort, err = childproc.FreePort(); err != nil {
				return nil, err
			}
			s.plainURL = "http://" + childproc.Loopback(plainPort)
		}
		conf := filepath.Join(o.dir, "Caddyfile")
		if err := os.WriteFile(conf, []byte(caddyfile(port, adminPort, plainPort, o.upstream)), 0o600); err != nil {
			return nil, err
		}
		s.pprofURL = "http://" + childproc.Loopback(adminPort) + "/debug/pprof/"
		return exec.Command(exe, caddyMode, "run", "--config", conf, "--adapter", "caddyfile"), nil
	case targetGobws:
		return exec.Command(exe, gobwsMode, "-addr", base), nil
	case targetCentrifuge:
		s.proto = protoCentrifuge
		s.wsURL = "ws://" + base + "/connection/websocket"
		return exec.Command(bin, "-addr", base), nil
	}
	return nil, fmt.Errorf("unknown target %q (ours, gobws or centrifuge)", o.target)
}

// accepts is a readiness check: addr accepts TCP connections.
func accepts(addr string) func() error {
	return func() error {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// caddyfile configures the sidecar as the project documents it: the
// cms_realtime handler in front of reverse_proxy, and, on plainPort, plain
// reverse_proxy to the same upstream. The admin endpoint (loopback only)
// serves /debug/pprof/ for the goroutine count and GC.
func caddyfile(port, adminPort, plainPort int, upstream string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{\n\tadmin 127.0.0.1:%d\n\tpersist_config off\n}\n", adminPort)
	fmt.Fprintf(&b, "http://:%d {\n\tbind 127.0.0.1\n\tcms_realtime {\n\t\tjwt_secret {env.JWT_SECRET}\n\t\tdataset production\n\t}\n\treverse_proxy %s\n}\n", port, upstream)
	if plainPort > 0 {
		fmt.Fprintf(&b, "http://:%d {\n\tbind 127.0.0.1\n\treverse_proxy %s\n}\n", plainPort, upstream)
	}
	return b.String()
}

// benchPackage is this command's import path, which locates the nested
// centrifuge-target module in the checkout.
const benchPackage = "github.com/caddy-cms-realtime/caddy-cms-realtime/cmd/realtime-bench"

// buildCentrifuge builds the nested centrifuge-target module into dir.
func buildCentrifuge(src, dir string) (string, error) {
	if src == "" {
		var err error
		if src, err = centrifugeSource(); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, "centrifuge-target")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = src
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build centrifuge-target in %s: %w", src, err)
	}
	return bin, nil
}

// centrifugeSource asks go list where this command's sources are, which
// the working directory being inside the checkout allows, and returns the
// centrifuge-target directory beside them.
func centrifugeSource() (string, error) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", benchPackage).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = errors.New(string(bytes.TrimSpace(exit.Stderr)))
		}
		return "", fmt.Errorf("locate centrifuge-target (run inside the checkout or pass -centrifuge-src): %w", err)
	}
	return filepath.Join(string(bytes.TrimSpace(out)), "centrifuge-target"), nil
}

// logSummary counts the warning and error lines of the server's output
// (but Caddy's notices that plain HTTP has no HTTP/2 or HTTP/3) and returns
// the first.
func (s *server) logSummary() (count int, first string) {
	for line := range strings.Lines(s.proc.Output()) {
		if strings.Contains(line, "skipped because it requires TLS") {
			continue
		}
		if strings.Contains(line, `"level":"warn"`) || strings.Contains(line, `"level":"error"`) {
			if count == 0 {
				first = strings.TrimSpace(line)
			}
			count++
		}
	}
	return count, first
}

func (s *server) pid() int { return s.proc.Pid() }

// stop ends the server: SIGTERM, then SIGKILL to its process group if it
// has not exited in a few seconds.
func (s *server) stop() { s.proc.Stop() }

// gc runs a garbage collection in the server (pprof's heap profile with
// gc=1), so that RSS is compared after the same collection on every target.
func (s *server) gc() error {
	resp, err := http.Get(s.pprofURL + "heap?gc=1")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// saveProfile writes one of the server's pprof profiles to path.
func (s *server) saveProfile(name, path string) error {
	resp, err := http.Get(s.pprofURL + name)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// memStats reads the runtime.MemStats lines pprof's text heap profile ends
// with ("# HeapInuse = 123", or "# Stack = inuse / sys": the in-use
// figure), to break RSS down into stacks and heap.
func (s *server) memStats() (map[string]int64, error) {
	resp, err := http.Get(s.pprofURL + "heap?debug=1")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	stats := make(map[string]int64)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "# "), " = ")
		if !ok {
			continue
		}
		value, _, _ = strings.Cut(value, " / ")
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			stats[name] = n
		}
	}
	return stats, sc.Err()
}

// goroutines reads the server's goroutine count from pprof.
func (s *server) goroutines() (int, error) {
	resp, err := http.Get(s.pprofURL + "goroutine?debug=1")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil {
		return 0, err
	}
	// "goroutine profile: total N"
	n, ok := strings.CutPrefix(strings.TrimSpace(line), "goroutine profile: total ")
	if !ok {
		return 0, fmt.Errorf("goroutine profile starts %q", line)
	}
	return strconv.Atoi(n)
}
