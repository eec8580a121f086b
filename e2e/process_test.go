package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// process is a child process started in its own process group, so that
// cleanup also ends whatever it spawned (npm and node wrappers do).
type process struct {
	name string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // the exit status, once done is closed
}

// startProcess starts cmd and registers its end with t.Cleanup. Its combined
// output is kept and logged if the test fails.
func startProcess(t *testing.T, name string, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{name: name, cmd: cmd, out: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if out := p.out.String(); strings.Contains(out, "WARNING: DATA RACE") {
			t.Errorf("%s reported a data race:\n%s", name, out)
			return
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, p.out.String())
		}
	})
	return p
}

// stop ends the process group: SIGTERM first, SIGKILL if it lingers.
func (p *process) stop() {
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children that outlived the leader (it exited on SIGTERM first).
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}

// exited reports whether the process has ended, with its status.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// lockedBuffer is an io.Writer safe for a process's stdout and stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Ports handed out by freePort come from below Linux's ephemeral range
// (32768 and up), so that no outgoing connection of this machine can take
// one between freePort's check and the server's bind.
const (
	minPort = 20000
	maxPort = 32000
)

var (
	portsMu sync.Mutex
	given   = map[int]bool{} // never hand out a port twice
)

// freePort returns a TCP port that is free on every interface.
func freePort(t *testing.T) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 1000 {
		port := minPort + rand.IntN(maxPort-minPort)
		if given[port] {
			continue
		}
		l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
		if err != nil {
			continue
		}
		l.Close()
		given[port] = true
		return port
	}
	t.Fatal("no free TCP port")
	return 0
}

func loopback(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// waitUntil polls ready until it returns nil, failing the test with the last
// error after timeout or as soon as p exits.
func waitUntil(t *testing.T, p *process, timeout time.Duration, ready func() error) {
	t.Helper()
	if err := waitReady(p, timeout, ready); err != nil {
		t.Fatal(err)
	}
}

// waitReady polls ready until it returns nil; it gives up with the last
// error after timeout or as soon as p exits.
func waitReady(p *process, timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if done, exitErr := p.exited(); done {
			return fmt.Errorf("%s exited before it was ready (%v); last check: %v\n%s", p.name, exitErr, err, p.out.String())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %v\n%s", p.name, timeout, err, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startListening starts a server with attempt, which picks fresh ports on
// every call and returns the process and its readiness check. A port picked
// by freePort can be taken by another process (a client's ephemeral port,
// a parallel test) before the server binds it; such a start is retried with
// new ports, a few times.
func startListening(t *testing.T, timeout time.Duration, attempt func() (*process, func() error)) *process {
	t.Helper()
	for try := 1; ; try++ {
		p, ready := attempt()
		err := waitReady(p, timeout, ready)
		if err == nil {
			return p
		}
		if try < 5 && strings.Contains(p.out.String(), "address already in use") {
			p.stop()
			continue
		}
		t.Fatal(err)
	}
}
