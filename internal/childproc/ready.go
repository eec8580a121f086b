package childproc

import (
	"fmt"
	"strings"
	"time"
)

// pollEvery is the pause between two readiness checks.
const pollEvery = 50 * time.Millisecond

// WaitReady polls ready until it returns nil. It gives up with the last
// error, and the output so far, after timeout or as soon as the process
// exits.
func (p *Process) WaitReady(timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if done, exitErr := p.exited(); done {
			return fmt.Errorf("%s exited before it was ready (%v); last check: %v\n%s", p.name, exitErr, err, p.Output())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %v\n%s", p.name, timeout, err, p.Output())
		}
		time.Sleep(pollEvery)
	}
}

// startTries is how many times StartListening starts a server whose ports
// were taken.
const startTries = 5

// StartListening starts a server with attempt, which picks fresh ports on
// every call and returns the started process and its readiness check, and
// waits until it is ready (see WaitReady). A port picked by FreePort can be
// taken by another process (a client's ephemeral port, a parallel test)
// before the server binds it; such a start is stopped and retried with new
// ports, a few times. On failure the process is stopped.
func StartListening(timeout time.Duration, attempt func() (*Process, func() error, error)) (*Process, error) {
	for try := 1; ; try++ {
		p, ready, err := attempt()
		if err != nil {
			return nil, err
		}
		err = p.WaitReady(timeout, ready)
		if err == nil {
			return p, nil
		}
		p.Stop()
		if try < startTries && strings.Contains(p.Output(), "address already in use") {
			continue
		}
		return nil, err
	}
}
