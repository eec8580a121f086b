package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// maxSlotsPerProcess keeps a churner process well under the file
// descriptors one process may hold (about 20,000 here).
const maxSlotsPerProcess = 5000

// churnSpec is the churn a run puts on the sidecar.
type churnSpec struct {
	url              string
	sockets          int
	docs             int
	holdMin, holdMax time.Duration
}

// churnerProc is one running churner process.
type churnerProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
}

// startChurners starts the churner processes, at least two so that the
// client side uses both cores.
func startChurners(spec churnSpec) ([]*churnerProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	n := max((spec.sockets+maxSlotsPerProcess-1)/maxSlotsPerProcess, min(2, spec.sockets))
	var procs []*churnerProc
	first := 0
	for i := range n {
		count := spec.sockets / n
		if i < spec.sockets%n {
			count++
		}
		cmd := exec.Command(exe, churnMode, "-url", spec.url,
			"-first", strconv.Itoa(first), "-count", strconv.Itoa(count), "-docs", strconv.Itoa(spec.docs),
			"-hold-min", spec.holdMin.String(), "-hold-max", spec.holdMax.String())
		first += count
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		p := &churnerProc{cmd: cmd}
		if p.stdin, err = cmd.StdinPipe(); err == nil {
			p.stdout, err = cmd.StdoutPipe()
		}
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			for _, p := range procs {
				_ = p.cmd.Process.Kill()
				_ = p.cmd.Wait()
			}
			return nil, err
		}
		procs = append(procs, p)
	}
	return procs, nil
}

// stopChurners closes every churner's stdin, which disconnects its sockets,
// and sums their reports.
func stopChurners(procs []*churnerProc) (churnReport, error) {
	total := churnReport{Closes: map[string]int64{}}
	for _, p := range procs {
		_ = p.stdin.Close()
	}
	var firstErr error
	for _, p := range procs {
		var r churnReport
		if err := json.NewDecoder(p.stdout).Decode(&r); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("churner process %d: %w", p.cmd.Process.Pid, err)
		}
		done := make(chan struct{})
		go func() { _ = p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = p.cmd.Process.Kill()
			<-done
		}
		total.add(r)
	}
	return total, firstErr
}

func (t *churnReport) add(r churnReport) {
	t.Connects += r.Connects
	t.Failed += r.Failed
	t.Subscribes += r.Subscribes
	t.Joins += r.Joins
	t.Leaves += r.Leaves
	t.Messages += r.Messages
	for code, n := range r.Closes {
		t.Closes[code] += n
	}
	if t.FirstErr == "" {
		t.FirstErr = r.FirstErr
	}
}
