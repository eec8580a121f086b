package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// sample is the server's state at one moment.
type sample struct {
	goroutines int
	rssKiB     int64
	heapInuse  int64 // bytes in in-use heap spans, after a collection
}

func (s sample) rssMiB() float64 { return float64(s.rssKiB) / 1024 }

func (s sample) String() string {
	return fmt.Sprintf("goroutines=%d rss_mib=%.1f heap_inuse_mib=%.1f", s.goroutines, s.rssMiB(), float64(s.heapInuse)/(1<<20))
}

// prober reads a sidecar's goroutines from its admin endpoint's pprof and
// its RSS from /proc.
type prober struct {
	pprof string // http://127.0.0.1:ADMIN/debug/pprof/
	pid   int
}

// sample collects garbage in the server first (pprof's heap profile with
// gc=1), so that samples compare what is live, not what awaits collection.
func (p prober) sample() (sample, error) {
	var s sample
	err := p.get("heap?gc=1&debug=1", func(r io.Reader) (err error) {
		s.heapInuse, err = heapInuse(r)
		return err
	})
	if err != nil {
		return sample{}, err
	}
	err = p.get("goroutine?debug=1", func(r io.Reader) (err error) {
		s.goroutines, err = goroutineTotal(r)
		return err
	})
	if err != nil {
		return sample{}, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return sample{}, err
	}
	s.rssKiB, err = vmRSS(string(status))
	return s, err
}

func (p prober) get(path string, read func(io.Reader) error) error {
	resp, err := http.Get(p.pprof + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s%s: %s", p.pprof, path, resp.Status)
	}
	return read(resp.Body)
}

// goroutineTotal reads the count from the first line of a goroutine
// profile in debug=1 form: "goroutine profile: total N".
func goroutineTotal(r io.Reader) (int, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return 0, fmt.Errorf("empty goroutine profile: %w", err)
	}
	n, ok := strings.CutPrefix(strings.TrimSpace(line), "goroutine profile: total ")
	if !ok {
		return 0, fmt.Errorf("goroutine profile starts %q", line)
	}
	return strconv.Atoi(n)
}

// heapInuse reads HeapInuse from the runtime.MemStats lines that end a
// heap profile in debug=1 form ("# HeapInuse = 123").
func heapInuse(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# HeapInuse = "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no HeapInuse line in the heap profile")
}

// vmRSS reads the resident set size in KiB from /proc/PID/status.
func vmRSS(status string) (int64, error) {
	for line := range strings.Lines(status) {
		v, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		kb, ok := strings.CutSuffix(strings.TrimSpace(v), " kB")
		if !ok {
			break
		}
		return strconv.ParseInt(kb, 10, 64)
	}
	return 0, fmt.Errorf("no VmRSS line in %q", status)
}
