package proctest

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// recorder is a test whose failures and logs are recorded instead of
// reported, so that what Start's cleanup does to a test can be checked.
type recorder struct {
	testing.TB // nil: a method Start should not call panics
	cleanups   []func()
	failed     bool
	errors     []string
	logs       []string
}

func (r *recorder) Helper()                 {}
func (r *recorder) Cleanup(f func())        { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Failed() bool            { return r.failed }
func (r *recorder) Logf(f string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(f, a...)) }
func (r *recorder) Errorf(f string, a ...any) {
	r.failed = true
	r.errors = append(r.errors, fmt.Sprintf(f, a...))
}

// end runs the cleanups as the testing package does at the end of a test.
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

// run starts script with Start under a recorder, lets it finish, marks the
// test failed when failed is set, and ends the test.
func run(t *testing.T, script string, failed bool) *recorder {
	t.Helper()
	r := &recorder{}
	p := Start(r, "child", exec.Command("sh", "-c", script))
	if err := p.Err(); err != nil {
		t.Fatalf("child: %v\n%s", err, p.Output())
	}
	r.failed = failed
	r.end()
	return r
}

func TestADataRaceFailsTheTest(t *testing.T) {
	r := run(t, `echo "WARNING: DATA RACE" >&2; echo "Write at 0x00c0 by goroutine 7" >&2`, false)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "child reported a data race") || !strings.Contains(r.errors[0], "by goroutine 7") {
		t.Errorf("errors %q, want one that reports the race with the output", r.errors)
	}
	if len(r.logs) != 0 {
		t.Errorf("logs %q, want the output once, in the error", r.logs)
	}
}

func TestAFailedTestLogsTheOutput(t *testing.T) {
	r := run(t, "echo listening on 1234", true)
	if len(r.logs) != 1 || r.logs[0] != "output of child:\nlistening on 1234\n" {
		t.Errorf("logs %q, want the output of child", r.logs)
	}
	if len(r.errors) != 0 {
		t.Errorf("errors %q, want none", r.errors)
	}
}

func TestAPassingTestLogsNothing(t *testing.T) {
	r := run(t, "echo listening on 1234", false)
	if r.failed || len(r.logs) != 0 {
		t.Errorf("failed %v, logs %q: want a passing, quiet test", r.failed, r.logs)
	}
}

func TestTheTestEndStopsTheProcess(t *testing.T) {
	r := &recorder{}
	p := Start(r, "sleeper", exec.Command("sleep", "60"))
	r.end()
	select {
	case <-p.Done():
	default:
		t.Error("the process still runs after the test ended")
	}
}

func TestFreePortAndFreeAddr(t *testing.T) {
	if a, b := FreePort(t), FreePort(t); a == b || a == 0 {
		t.Errorf("FreePort gave %d then %d, want two different ports", a, b)
	}
	if addr := FreeAddr(t); !strings.HasPrefix(addr, "127.0.0.1:") || addr == "127.0.0.1:0" {
		t.Errorf("FreeAddr = %q, want 127.0.0.1 and a port", addr)
	}
}
