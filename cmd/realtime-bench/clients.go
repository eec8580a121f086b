package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc"
)

// maxSocketsPerProcess keeps a client process well under the file
// descriptors one process may hold (about 20,000 here).
const maxSocketsPerProcess = 9000

// clientSpec is the load a run puts on a server.
type clientSpec struct {
	proto    string
	url      string
	sockets  int
	presence bool
	perAddr  int
	procs    int // client processes; 0: enough for maxSocketsPerProcess, at least one per CPU
}

// clientGroup is the client processes of one run.
type clientGroup struct {
	procs []*childproc.Worker
	ready clientReady // summed over processes
}

// startClients starts the client processes and waits until every socket
// has connected or failed.
func startClients(spec clientSpec) (*clientGroup, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	n := spec.procs
	if n <= 0 {
		n = max((spec.sockets+maxSocketsPerProcess-1)/maxSocketsPerProcess, min(2, spec.sockets))
	}
	g := &clientGroup{}
	first := 0
	for i := range n {
		count := spec.sockets / n
		if i < spec.sockets%n {
			count++
		}
		cmd := exec.Command(exe, clientMode,
			"-proto", spec.proto, "-url", spec.url,
			"-first", strconv.Itoa(first), "-count", strconv.Itoa(count),
			"-per-addr", strconv.Itoa(spec.perAddr), "-presence="+strconv.FormatBool(spec.presence))
		first += count
		w, err := childproc.StartWorker(cmd)
		if err != nil {
			g.close()
			return nil, err
		}
		g.procs = append(g.procs, w)
	}
	for _, w := range g.procs {
		var r clientReady
		if err := w.Receive(&r); err != nil {
			g.close()
			return nil, err
		}
		g.ready.Connected += r.Connected
		g.ready.Failed += r.Failed
		if g.ready.Err == "" {
			g.ready.Err = r.Err
		}
	}
	return g, nil
}

// phaseResult merges the processes' reports of one phase.
type phaseResult struct {
	received, expected, closed int64
	last                       time.Time
	lat                        latencies
}

func (r phaseResult) lost() int64 { return max(r.expected-r.received, 0) }

// collect asks every process for a phase's figures once each socket has
// received expected events, or after timeout.
func (g *clientGroup) collect(phase byte, expected int, timeout time.Duration) (phaseResult, error) {
	req := collectRequest{Phase: string(phase), Expected: expected, Timeout: timeout}
	for _, w := range g.procs {
		if err := w.Send(req); err != nil {
			return phaseResult{}, err
		}
	}
	res := phaseResult{lat: latencies{}}
	for _, w := range g.procs {
		var rep phaseReport
		if err := w.Receive(&rep); err != nil {
			return phaseResult{}, err
		}
		res.received += rep.Received
		res.expected += rep.Expected
		res.closed += rep.Closed
		res.lat.add(rep.Hist)
		if t := time.Unix(0, rep.LastNS); rep.LastNS > 0 && t.After(res.last) {
			res.last = t
		}
	}
	if res.expected == 0 && expected > 0 {
		return res, errors.New("no client socket is open")
	}
	return res, nil
}

// close ends the client processes: closing their input closes their
// sockets. A process still running 10 s later is killed.
func (g *clientGroup) close() {
	for _, w := range g.procs {
		_ = w.CloseInput()
	}
	for _, w := range g.procs {
		_ = w.Wait(10 * time.Second)
	}
}
