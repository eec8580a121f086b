package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"
)

// config is one soak run's flags.
type config struct {
	duration         time.Duration
	sockets          int
	stayers          int
	writeRate        float64
	docs             int
	holdMin, holdMax time.Duration
	sampleEvery      time.Duration
	settle           time.Duration
	goroutineSlack   int
	rssSlackMiB      float64
	caddyBin         string
}

// warmupWrites are made before the baseline, so that it includes the
// proxy's connections to json-server and the caches the writes fill.
const warmupWrites = 20

// soak runs the whole check and reports whether it passed.
func soak(c config) (bool, error) {
	log.SetPrefix("soak: ")
	log.SetFlags(log.Ltime)
	root, err := moduleRoot()
	if err != nil {
		return false, err
	}
	dir, err := os.MkdirTemp("", "realtime-soak-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)

	bin := c.caddyBin
	if bin == "" {
		log.Print("building ./cmd/caddy")
		if bin, err = buildCaddy(root, dir); err != nil {
			return false, err
		}
	}
	cms, cmsAddr, err := startJSONServer(root, dir)
	if err != nil {
		return false, err
	}
	defer cms.Stop()
	sidecar, err := startSidecar(bin, dir, cmsAddr)
	if err != nil {
		return false, err
	}
	defer sidecar.proc.Stop()
	base := "http://" + sidecar.addr
	probe := prober{pprof: "http://" + sidecar.admin + "/debug/pprof/", pid: sidecar.proc.Pid()}
	wsURL := "ws://" + sidecar.addr + "/ws"

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	stayers, err := connectStayers(ctx, wsURL, c.stayers)
	cancel()
	if err != nil {
		return false, fmt.Errorf("stayers: %w\n%s", err, tail(sidecar.proc, 20))
	}
	w := newWriter(base)
	for range warmupWrites {
		w.writeOnce()
	}
	if ok, _, _ := w.counts(); ok == 0 {
		_, _, lastErr := w.counts()
		return false, fmt.Errorf("no warm-up write succeeded: %s", lastErr)
	}
	awaitStayers(stayers, warmupWrites, 10*time.Second)
	baseline, err := probe.sample()
	if err != nil {
		return false, fmt.Errorf("baseline sample: %w", err)
	}
	log.Printf("baseline with %d stayers: %v", c.stayers, baseline)

	start := time.Now()
	writeCtx, stopWrites := context.WithCancel(context.Background())
	writesDone := make(chan struct{})
	go func() { w.run(writeCtx, c.writeRate); close(writesDone) }()
	procs, err := startChurners(churnSpec{url: wsURL, sockets: c.sockets, docs: c.docs, holdMin: c.holdMin, holdMax: c.holdMax})
	if err != nil {
		stopWrites()
		return false, err
	}
	log.Printf("%d churning sockets in %d processes, %d stayers, %.0f writes/s, for %v", c.sockets, len(procs), c.stayers, c.writeRate, c.duration)
	peak, backlog := during(probe, w, stayers, start, c)
	log.Printf("peak during the churn: %v; largest backlog of a stayer: %d events", peak, backlog)
	report, churnErr := stopChurners(procs)
	stopWrites()
	<-writesDone
	elapsed := time.Since(start)
	if churnErr != nil {
		log.Print(churnErr)
	}
	log.Printf("churners: %d connects, %d failed (first: %s), %d subscribes, %d joins, %d leaves, %d messages read, server closes by code %v",
		report.Connects, report.Failed, report.FirstErr, report.Subscribes, report.Joins, report.Leaves, report.Messages, report.Closes)

	events, failedWrites, lastErr := w.counts()
	if failedWrites > 0 {
		log.Printf("%d writes failed (last: %s); they are not expected as events", failedWrites, lastErr)
	}
	caughtUp := time.Now()
	tally := awaitStayers(stayers, events, time.Minute)
	log.Printf("stayers caught up with %d events %v after the churn", tally.minReceived, time.Since(caughtUp).Round(time.Millisecond))
	end := settle(probe, baseline, c)
	closeStayers(stayers)

	v := verdict{c: c, elapsed: elapsed, connects: report.Connects, events: events, tally: tally, base: baseline, end: end}
	for _, p := range v.problems() {
		log.Print("FAIL: ", p)
	}
	if len(tally.ended) > 0 {
		log.Printf("stayer sockets that ended: %s", strings.Join(tally.ended, "; "))
	}
	fmt.Println(v.line())
	return len(v.problems()) == 0, nil
}

// during samples the server every c.sampleEvery until c.duration has passed
// since start, and returns the peak and the largest number of events the
// slowest stayer was behind the writes.
func during(probe prober, w *writer, stayers []*stayer, start time.Time, c config) (peak sample, backlog int) {
	t := time.NewTicker(c.sampleEvery)
	defer t.Stop()
	deadline := time.NewTimer(time.Until(start.Add(c.duration)))
	defer deadline.Stop()
	for {
		select {
		case <-deadline.C:
			return peak, backlog
		case <-t.C:
			s, err := probe.sample()
			if err != nil {
				log.Printf("sample: %v", err)
				continue
			}
			peak.goroutines = max(peak.goroutines, s.goroutines)
			peak.rssKiB = max(peak.rssKiB, s.rssKiB)
			peak.heapInuse = max(peak.heapInuse, s.heapInuse)
			ok, failed, _ := w.counts()
			tally := tallyStayers(stayers, ok)
			backlog = max(backlog, ok-tally.minReceived)
			log.Printf("%v: %v, writes %d ok %d failed, stayers received at least %d, dup %d", time.Since(start).Round(time.Second), s, ok, failed, tally.minReceived, tally.dup)
		}
	}
}

// settle samples the server until it is back within the slack of baseline,
// or c.settle has passed, and returns the last sample.
func settle(probe prober, baseline sample, c config) sample {
	deadline := time.Now().Add(c.settle)
	for {
		s, err := probe.sample()
		if err != nil {
			log.Printf("sample: %v", err)
		} else if withinSlack(baseline, s, c) || time.Now().After(deadline) {
			log.Printf("after the churn: %v", s)
			return s
		}
		time.Sleep(5 * time.Second)
	}
}
