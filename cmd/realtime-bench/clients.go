package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
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
	procs []*clientProc
	ready clientReady // summed over processes
}

type clientProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *json.Decoder
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
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			g.close()
			return nil, err
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			g.close()
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			g.close()
			return nil, err
		}
		g.procs = append(g.procs, &clientProc{cmd: cmd, stdin: stdin, out: json.NewDecoder(bufio.NewReader(stdout))})
	}
	for _, p := range g.procs {
		var r clientReady
		if err := p.out.Decode(&r); err != nil {
			g.close()
			return nil, fmt.Errorf("client process %d: %w", p.cmd.Process.Pid, err)
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
	for _, p := range g.procs {
		if err := json.NewEncoder(p.stdin).Encode(req); err != nil {
			return phaseResult{}, err
		}
	}
	res := phaseResult{lat: latencies{}}
	for _, p := range g.procs {
		var rep phaseReport
		if err := p.out.Decode(&rep); err != nil {
			return phaseResult{}, fmt.Errorf("client process %d: %w", p.cmd.Process.Pid, err)
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

// close ends the client processes: closing stdin closes their sockets.
func (g *clientGroup) close() {
	for _, p := range g.procs {
		_ = p.stdin.Close()
	}
	for _, p := range g.procs {
		done := make(chan struct{})
		go func() { _ = p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-done
		}
	}
}
