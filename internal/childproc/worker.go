package childproc

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Worker is a child process driven over its stdin and stdout, one JSON
// value a line: the load generators that the soak and the benchmark spread
// over several processes, to use every core and stay under a process's
// file limit. Closing its input tells it to finish.
type Worker struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	enc *json.Encoder
	dec *json.Decoder
}

// StartWorker starts cmd with pipes to its stdin and stdout and its stderr
// on the caller's, in a process group of its own that is killed if the
// calling process dies first.
func StartWorker(cmd *exec.Cmd) (*Worker, error) {
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	return &Worker{cmd: cmd, in: in, enc: json.NewEncoder(in), dec: json.NewDecoder(out)}, nil
}

// Pid is the process id, which is also its process group id.
func (w *Worker) Pid() int { return w.cmd.Process.Pid }

// Send writes v to the worker's input as JSON.
func (w *Worker) Send(v any) error {
	if err := w.enc.Encode(v); err != nil {
		return fmt.Errorf("worker %d: %w", w.Pid(), err)
	}
	return nil
}

// Receive reads the next JSON value of the worker's output into v.
func (w *Worker) Receive(v any) error {
	if err := w.dec.Decode(v); err != nil {
		return fmt.Errorf("worker %d: %w", w.Pid(), err)
	}
	return nil
}

// CloseInput closes the worker's input, which tells it to finish.
func (w *Worker) CloseInput() error { return w.in.Close() }

// Wait waits for the worker to exit and returns its exit status; after
// grace it kills the worker's process group. Whatever the worker wrote that
// was not received is lost.
func (w *Worker) Wait(grace time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- w.cmd.Wait() }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		_ = syscall.Kill(-w.Pid(), syscall.SIGKILL)
		return <-done
	}
}
