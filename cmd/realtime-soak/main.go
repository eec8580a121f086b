package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
)

func main() {
	raiseFileLimit()
	if len(os.Args) > 1 && os.Args[1] == churnMode {
		if err := runChurners(os.Args[2:]); err != nil {
			fmt.Fprintf(os.Stderr, "realtime-soak %s: %v\n", churnMode, err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "how long the sockets churn")
	flag.IntVar(&c.sockets, "sockets", 3000, "churning sockets open at once (spread over client processes)")
	flag.IntVar(&c.stayers, "stayers", 20, "sockets connected the whole time, each checked for every event")
	flag.Float64Var(&c.writeRate, "write-rate", 20, "writes per second through the proxy")
	flag.IntVar(&c.docs, "docs", 10, "documents the churners' presence is spread over")
	flag.DurationVar(&c.holdMin, "hold-min", time.Second, "shortest time a churning socket stays connected")
	flag.DurationVar(&c.holdMax, "hold-max", 10*time.Second, "longest time a churning socket stays connected")
	flag.DurationVar(&c.sampleEvery, "sample-every", 30*time.Second, "how often the server is sampled during the churn")
	flag.DurationVar(&c.settle, "settle", 2*time.Minute, "how long the server may take to come back to its baseline")
	flag.IntVar(&c.goroutineSlack, "goroutine-slack", 20, "goroutines the end may have above the baseline")
	flag.Float64Var(&c.rssSlackMiB, "rss-slack", 64, "MiB of RSS the end may have above the baseline")
	flag.StringVar(&c.caddyBin, "caddy", "", "sidecar binary to run (default: go build ./cmd/caddy)")
	flag.Parse()
	if c.sockets < 0 || c.stayers < 1 || c.writeRate <= 0 || c.holdMax < c.holdMin {
		fmt.Fprintln(os.Stderr, "realtime-soak: -stayers must be at least 1, -write-rate positive, -hold-max at least -hold-min")
		os.Exit(2)
	}
	ok, err := soak(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "realtime-soak:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// raiseFileLimit lifts the soft open-files limit to the hard one; the
// processes the soak starts inherit it.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
