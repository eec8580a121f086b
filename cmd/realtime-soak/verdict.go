package main

import (
	"fmt"
	"time"
)

// verdict is a finished soak's figures and what they mean.
type verdict struct {
	c         config
	elapsed   time.Duration
	connects  int64
	events    int
	tally     stayerTally
	base, end sample
}

// withinSlack reports whether s is back near the baseline: goroutines at
// most c.goroutineSlack above it and RSS at most c.rssSlackMiB above it.
func withinSlack(base, s sample, c config) bool {
	return s.goroutines <= base.goroutines+c.goroutineSlack && s.rssMiB() <= base.rssMiB()+c.rssSlackMiB
}

// problems lists why the soak failed; none when it passed.
func (v verdict) problems() []string {
	var p []string
	if v.tally.lost > 0 {
		p = append(p, fmt.Sprintf("stayers lost %d events", v.tally.lost))
	}
	if v.tally.dup > 0 {
		p = append(p, fmt.Sprintf("stayers received %d events twice", v.tally.dup))
	}
	if v.tally.reorders > 0 {
		p = append(p, fmt.Sprintf("stayers received %d events out of seq order", v.tally.reorders))
	}
	if v.end.goroutines > v.base.goroutines+v.c.goroutineSlack {
		p = append(p, fmt.Sprintf("goroutines %d at the end, baseline %d + slack %d", v.end.goroutines, v.base.goroutines, v.c.goroutineSlack))
	}
	if v.end.rssMiB() > v.base.rssMiB()+v.c.rssSlackMiB {
		p = append(p, fmt.Sprintf("RSS %.1f MiB at the end, baseline %.1f + slack %.0f MiB", v.end.rssMiB(), v.base.rssMiB(), v.c.rssSlackMiB))
	}
	if v.events == 0 {
		p = append(p, "no write succeeded")
	}
	return p
}

// line is the soak's last line of output.
func (v verdict) line() string {
	return fmt.Sprintf("soak: duration=%v sockets=%d connects=%d events=%d lost=%d dup=%d goroutines_base=%d goroutines_end=%d rss_base_mib=%.1f rss_end_mib=%.1f",
		v.elapsed.Round(time.Second), v.c.sockets, v.connects, v.events, v.tally.lost, v.tally.dup,
		v.base.goroutines, v.end.goroutines, v.base.rssMiB(), v.end.rssMiB())
}
