package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// load is one kind of request the proxy benchmark sends.
type load struct {
	method string
	path   string
	rate   float64 // requests per second; 0: closed loop with every worker
}

// loadResult accumulates one load against one site over its slices.
type loadResult struct {
	requests int64
	errors   int64
	elapsed  time.Duration
	lat      histogram
}

func (r *loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func runProxy(args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ExitOnError)
	duration := fs.Duration("duration", 20*time.Second, "total measuring time: a quarter for each closed-loop load, half for the paced POSTs")
	subscribers := fs.Int("subscribers", 1000, "sockets subscribed to posts on the sidecar")
	workers := fs.Int("concurrency", 8, "concurrent requests of the closed-loop loads")
	postRate := fs.Float64("post-rate", 20, "POSTs per second of the paced load that measures write latency")
	rounds := fs.Int("rounds", 10, "times each load alternates between the two sites")
	perAddr := fs.Int("per-addr", 500, "sockets per 127.x source address")
	_ = fs.Parse(args)
	progress.Printf("proxy: %v, %d subscribers, %d workers, paced POSTs at %.0f/s; %s", *duration, *subscribers, *workers, *postRate, describeMachine())

	w, err := openWorkspace()
	if err != nil {
		return err
	}
	defer w.close()
	srv, err := startServer(serverOptions{target: targetOurs, dir: w.dir, upstream: w.up.addr, plainProxy: true})
	if err != nil {
		return err
	}
	defer srv.stop()
	sidecarURL := srv.postURL[:len(srv.postURL)-len("/post")]
	g, err := startClients(clientSpec{proto: srv.proto, url: srv.wsURL, sockets: *subscribers, perAddr: *perAddr})
	if err != nil {
		return err
	}
	defer g.close()
	progress.Printf("%d subscribers connected, %d failed %s", g.ready.Connected, g.ready.Failed, g.ready.Err)

	loads := []load{
		{method: http.MethodGet, path: "/posts/1"},
		{method: http.MethodPost, path: "/posts"},
		{method: http.MethodPost, path: "/posts", rate: *postRate},
	}
	sites := []string{srv.plainURL, sidecarURL}
	results := make([][2]loadResult, len(loads))
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *workers}}
	var seq atomic.Int64
	var sidecarWrites int64
	for li, l := range loads {
		// The paced load needs the most time: its p99 rests on few samples.
		share := *duration / 4
		if l.rate > 0 {
			share = *duration / 2
		}
		slice := share / time.Duration(len(sites)**rounds)
		for r := range *rounds {
			for k := range sites {
				site := (k + r) % 2 // alternate which site goes first
				into := &results[li][site]
				before := into.requests
				generate(client, sites[site], l, *workers, slice, &seq, into)
				if site == 1 && l.method == http.MethodPost {
					// A slice of writes through the sidecar ends when its
					// events are delivered, so that no backlog spills into
					// the next slice; for the closed loop, the time it takes
					// counts (the fan-out is part of what the writes cost).
					start := time.Now()
					sidecarWrites += into.requests - before
					if rep, err := g.collect(phaseProxy, int(sidecarWrites), time.Minute); err == nil && rep.lost() > 0 {
						progress.Printf("%d events not delivered a minute after a slice of writes", rep.lost())
					}
					if l.rate == 0 {
						into.elapsed += time.Since(start)
					}
				}
			}
		}
	}
	for li, l := range loads {
		for site, name := range []string{"reverse_proxy", "cms_realtime + reverse_proxy"} {
			r := &results[li][site]
			kind := "closed loop"
			if l.rate > 0 {
				kind = fmt.Sprintf("paced %.0f/s", l.rate)
			}
			progress.Printf("%s %s (%s) via %s: %.0f req/s, %d requests, p50 %v p99 %v, %d errors",
				l.method, l.path, kind, name, r.perSecond(), r.requests, r.lat.quantile(0.5), r.lat.quantile(0.99), r.errors)
		}
	}
	if rep, err := g.collect(phaseProxy, int(sidecarWrites), 10*time.Second); err == nil {
		progress.Printf("subscribers received %d of the %d events the writes through cms_realtime should give (%d writes × %d sockets); %d sockets were closed by the server",
			rep.received, sidecarWrites*int64(g.ready.Connected), sidecarWrites, g.ready.Connected, rep.closed)
	}
	if n, first := srv.logSummary(); n > 0 {
		progress.Printf("the server logged %d warnings or errors; the first: %s", n, first)
	}
	get, post, paced := &results[0], &results[1], &results[2]
	extra := ms(paced[1].lat.quantile(0.99)) - ms(paced[0].lat.quantile(0.99))
	fmt.Printf("proxy: get_ratio=%s post_ratio=%s post_p99_extra_ms=%s\n",
		decimal(get[1].perSecond()/get[0].perSecond()), decimal(post[1].perSecond()/post[0].perSecond()), decimal(extra))
	return nil
}

// generate sends l to site for d: closed loop with workers, or paced at
// l.rate with each request on its own at its scheduled time.
func generate(client *http.Client, site string, l load, workers int, d time.Duration, seq *atomic.Int64, into *loadResult) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	one := func() {
		t0 := time.Now()
		var body io.Reader
		if l.method == http.MethodPost {
			id := eventID(phaseProxy, int(seq.Add(1)), time.Now())
			body = bytes.NewBufferString(`{"id":"` + id + `","title":"realtime-bench"}`)
		}
		req, _ := http.NewRequest(l.method, site+l.path, body)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			atomic.AddInt64(&into.errors, 1)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode >= 300 {
			atomic.AddInt64(&into.errors, 1)
			return
		}
		into.lat.record(time.Since(t0))
		atomic.AddInt64(&into.requests, 1)
	}
	if l.rate > 0 {
		interval := time.Duration(float64(time.Second) / l.rate)
		for next := start; ctx.Err() == nil; next = next.Add(interval) {
			time.Sleep(time.Until(next))
			wg.Add(1)
			go func() { defer wg.Done(); one() }()
		}
	} else {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					one()
				}
			}()
		}
	}
	wg.Wait()
	into.elapsed += time.Since(start)
}
