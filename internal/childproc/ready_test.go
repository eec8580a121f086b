package childproc

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

var errNotYet = errors.New("not yet")

func TestWaitReadyGivesUpWhenTheProcessExits(t *testing.T) {
	p := start(t, "echo goodbye; exit 4")
	begin := time.Now()
	err := p.WaitReady(time.Minute, func() error { return errNotYet })
	if err == nil {
		t.Fatal("WaitReady returned nil for a check that never passes")
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("WaitReady took %v to notice the exit", took)
	}
	for _, want := range []string{"sh exited before it was ready", "exit status 4", "not yet", "goodbye"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestWaitReadyTimesOut(t *testing.T) {
	p := start(t, "echo waiting; exec sleep 60")
	err := p.WaitReady(200*time.Millisecond, func() error { return errNotYet })
	if err == nil || !strings.Contains(err.Error(), "sh not ready after 200ms: not yet") {
		t.Errorf("WaitReady = %v, want not ready after 200ms", err)
	}
}

func TestWaitReadyReturnsOnceReady(t *testing.T) {
	p := start(t, "exec sleep 60")
	checks := 0
	err := p.WaitReady(time.Minute, func() error {
		if checks++; checks < 3 {
			return errNotYet
		}
		return nil
	})
	if err != nil || checks != 3 {
		t.Errorf("WaitReady = %v after %d checks, want nil after 3", err, checks)
	}
}

// probe gives up soon: the tests' taken ports accept connections but never
// answer.
var probe = http.Client{Timeout: 250 * time.Millisecond}

// listener starts the test binary as a server on addr (see listenEnv).
func listener(addr string) (*Process, func() error, error) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), listenEnv+"="+addr)
	p, err := Start("server", cmd)
	return p, func() error {
		resp, err := probe.Get("http://" + addr + "/")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}, err
}

func TestStartListeningRetriesOnATakenPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	var addrs []string
	p, err := StartListening(30*time.Second, func() (*Process, func() error, error) {
		addr := taken.Addr().String()
		if len(addrs) > 0 {
			port, err := FreePort()
			if err != nil {
				return nil, nil, err
			}
			addr = Loopback(port)
		}
		addrs = append(addrs, addr)
		return listener(addr)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if len(addrs) != 2 {
		t.Errorf("started on %v, want the taken address and then a free one", addrs)
	}
	if done, _ := p.exited(); done {
		t.Error("the server StartListening returned has exited")
	}
}

func TestStartListeningDoesNotRetryOtherFailures(t *testing.T) {
	tries := 0
	_, err := StartListening(30*time.Second, func() (*Process, func() error, error) {
		tries++
		p, err := Start("sh", exec.Command("sh", "-c", "echo no config; exit 1"))
		return p, func() error { return errNotYet }, err
	})
	if err == nil || !strings.Contains(err.Error(), "no config") || tries != 1 {
		t.Errorf("StartListening = %v after %d tries, want the failure after 1", err, tries)
	}
}

func TestStartListeningGivesUpAfterSomeTries(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tries := 0
	_, err = StartListening(30*time.Second, func() (*Process, func() error, error) {
		tries++
		return listener(taken.Addr().String())
	})
	if err == nil || !strings.Contains(err.Error(), "address already in use") || tries != startTries {
		t.Errorf("StartListening = %v after %d tries, want address already in use after %d", err, tries, startTries)
	}
}

func TestStartListeningReturnsTheAttemptsError(t *testing.T) {
	want := errors.New("no binary")
	_, err := StartListening(time.Second, func() (*Process, func() error, error) { return nil, nil, want })
	if !errors.Is(err, want) {
		t.Errorf("StartListening = %v, want %v", err, want)
	}
}

func TestFreePortIsFreeBelowTheEphemeralRangeAndNeverTwice(t *testing.T) {
	seen := map[int]bool{}
	for range 50 {
		port, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		if port < minPort || port >= maxPort {
			t.Errorf("port %d outside [%d, %d)", port, minPort, maxPort)
		}
		if seen[port] {
			t.Errorf("port %d handed out twice", port)
		}
		seen[port] = true
		l, err := net.Listen("tcp", Loopback(port))
		if err != nil {
			t.Errorf("port %d is not free: %v", port, err)
			continue
		}
		l.Close()
	}
}

func TestLoopback(t *testing.T) {
	if got := Loopback(8080); got != "127.0.0.1:8080" {
		t.Errorf("Loopback(8080) = %q", got)
	}
}
