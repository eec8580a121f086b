package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// raiseFileLimit lifts the soft open-files limit to the hard one; the
// processes the bench starts inherit it.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// describeMachine is the date and machine every figure is reported with.
func describeMachine() string {
	var l syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	load, _ := os.ReadFile("/proc/loadavg")
	return fmt.Sprintf("%s, %d CPUs (%s), %s RAM, nofile %d, %s, load average %s",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), procField("/proc/cpuinfo", "model name"),
		procField("/proc/meminfo", "MemTotal"), l.Cur, runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "))
}

// procField returns the value of the first "key: value" line of a /proc
// file whose key is key.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// progress is where modes report as they go; the machine-readable line
// alone goes to stdout. (Importing Caddy redirects the standard logger.)
var progress = log.New(os.Stderr, "", log.Ltime)
