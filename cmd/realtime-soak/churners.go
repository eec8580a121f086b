package main

import (
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
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

// churnerGrace is how long a churner may take to disconnect its sockets
// and report once its input is closed.
const churnerGrace = 30 * time.Second

// startChurners starts the churner processes, at least two so that the
// client side uses both cores.
func startChurners(spec churnSpec) ([]*childproc.Worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	n := max((spec.sockets+maxSlotsPerProcess-1)/maxSlotsPerProcess, min(2, spec.sockets))
	var procs []*childproc.Worker
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
		p, err := childproc.StartWorker(cmd)
		if err != nil {
			_, _ = stopChurners(procs)
			return nil, err
		}
		procs = append(procs, p)
	}
	return procs, nil
}

// stopChurners closes every churner's input, which disconnects its sockets,
// and sums their reports.
func stopChurners(procs []*childproc.Worker) (churnReport, error) {
	total := churnReport{Closes: map[string]int64{}}
	for _, p := range procs {
		_ = p.CloseInput()
	}
	var firstErr error
	for _, p := range procs {
		var r churnReport
		if err := p.Receive(&r); err != nil && firstErr == nil {
			firstErr = err
		}
		_ = p.Wait(churnerGrace)
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
