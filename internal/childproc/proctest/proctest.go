package proctest

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
)

// raceWarning starts every report of Go's race detector.
const raceWarning = "WARNING: DATA RACE"

// Start starts cmd with childproc.Start, failing the test if it cannot. When
// the test ends, the process is stopped; then the test fails if the
// process reported a data race, or else its output is logged if the test
// failed.
func Start(t testing.TB, name string, cmd *exec.Cmd) *childproc.Process {
	t.Helper()
	p, err := childproc.Start(name, cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop()
		if out := p.Output(); strings.Contains(out, raceWarning) {
			t.Errorf("%s reported a data race:\n%s", name, out)
			return
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, p.Output())
		}
	})
	return p
}

// WaitUntil is p.WaitReady, failing the test with its error.
func WaitUntil(t testing.TB, p *childproc.Process, timeout time.Duration, ready func() error) {
	t.Helper()
	if err := p.WaitReady(timeout, ready); err != nil {
		t.Fatal(err)
	}
}

// StartListening is childproc.StartListening with processes started by
// Start, failing the test with its error.
func StartListening(t testing.TB, timeout time.Duration, attempt func() (*childproc.Process, func() error)) *childproc.Process {
	t.Helper()
	p, err := childproc.StartListening(timeout, func() (*childproc.Process, func() error, error) {
		p, ready := attempt()
		return p, ready, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// FreePort is childproc.FreePort, failing the test with its error.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := childproc.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// FreeAddr is the loopback host:port of a port from FreePort.
func FreeAddr(t testing.TB) string {
	t.Helper()
	return childproc.Loopback(FreePort(t))
}
