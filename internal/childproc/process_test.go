package childproc

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func start(t *testing.T, script string) *Process {
	t.Helper()
	p, err := Start("sh", exec.Command("sh", "-c", script))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

func TestOutputKeepsStdoutAndStderr(t *testing.T) {
	p := start(t, "echo to-stdout; echo to-stderr >&2; exit 3")
	err := p.Err()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("Err() = %v, want exit status 3", err)
	}
	out := p.Output()
	for _, want := range []string{"to-stdout", "to-stderr"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

func TestStopEndsWhatTheProcessSpawned(t *testing.T) {
	// The leader ends on SIGTERM; the grandchild ignores it and must be
	// killed with the rest of the group. It does not hold the output pipe,
	// which would keep Wait from returning until the grace has passed.
	p := start(t, `sh -c 'trap "" TERM; echo $$; exec sleep 60 >/dev/null 2>&1' & wait`)
	var pid int
	waitFor(t, func() bool {
		line, _, _ := strings.Cut(p.Output(), "\n")
		pid, _ = strconv.Atoi(line)
		return pid > 0
	})
	if p.Pid() == pid {
		t.Fatalf("the grandchild has the leader's pid %d", pid)
	}
	begin := time.Now()
	p.Stop()
	if took := time.Since(begin); took >= stopGrace {
		t.Errorf("Stop took %v: the leader did not end on SIGTERM", took)
	}
	waitFor(t, func() bool { return dead(pid) })
}

func TestStopKillsAProcessThatIgnoresSIGTERM(t *testing.T) {
	t.Parallel()
	p := start(t, `trap "" TERM; echo ready; while :; do sleep 1; done`)
	waitFor(t, func() bool { return strings.Contains(p.Output(), "ready") })
	begin := time.Now()
	p.Stop()
	if took := time.Since(begin); took < stopGrace {
		t.Errorf("Stop returned after %v, before the grace of %v", took, stopGrace)
	}
	var exit *exec.ExitError
	if err := p.Err(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("Err() = %v, want killed by SIGKILL", err)
	}
	p.Stop() // a second Stop returns at once
}

func TestDoneClosesWhenTheProcessExits(t *testing.T) {
	p := start(t, "exit 0")
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed 10 s after the process exited")
	}
	if err := p.Err(); err != nil {
		t.Errorf("Err() = %v, want nil", err)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
	}
}

// dead reports whether process pid is gone or a zombie.
func dead(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// pid (comm) state ...
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}
