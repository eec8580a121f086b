package childproc

import (
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long Stop lets a process end on SIGTERM before it kills
// the process group.
const stopGrace = 5 * time.Second

// Process is a child process in a process group of its own, with its output
// kept.
type Process struct {
	name string
	cmd  *exec.Cmd
	out  output
	done chan struct{} // closed when the process has exited
	err  error         // the exit status, once done is closed
	stop sync.Once
}

// Start starts cmd, named name in errors, in a new process group that is
// killed if the calling process dies first. It sets cmd's Stdout, Stderr
// and SysProcAttr: the combined output is kept (see Output).
func Start(name string, cmd *exec.Cmd) (*Process, error) {
	p := &Process{name: name, cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process id, which is also its process group id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Output returns what the process has written on stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err waits for the process to exit and returns its exit status: nil when
// it exited with status 0.
func (p *Process) Err() error {
	<-p.done
	return p.err
}

// exited reports whether the process has ended, with its status.
func (p *Process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Stop ends the process group: SIGTERM first; then, once the process has
// exited or after a few seconds, SIGKILL to the whole group, which also ends
// whatever of it outlived the process. It returns once the process has
// exited; calling it again waits for the first call.
func (p *Process) Stop() {
	p.stop.Do(func() {
		group := -p.Pid()
		_ = syscall.Kill(group, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(stopGrace):
		}
		_ = syscall.Kill(group, syscall.SIGKILL)
		<-p.done
	})
}
