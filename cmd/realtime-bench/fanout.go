package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// fanoutConfig is what one fanout measurement runs.
type fanoutConfig struct {
	subscribers int
	events      int
	warmup      int
	rate        float64 // deliveries per second offered in the spaced phase
	perAddr     int
	procs       int
	cpuProfile  string // save the server's CPU profile of the spaced phase here
}

// fanoutResult is one target's figures.
type fanoutResult struct {
	connected        int
	p50, p99, p999   time.Duration
	cpuPerDelivery   float64 // µs of server CPU per delivery, spaced phase
	burstCPU         float64 // the same, burst phase
	burstPerSecond   float64
	lost             int64
	spacedDeliveries int64
}

func runFanout(args []string) error {
	fs := flag.NewFlagSet("fanout", flag.ExitOnError)
	cfg := fanoutConfig{}
	fs.IntVar(&cfg.subscribers, "subscribers", 10000, "sockets subscribed to posts")
	fs.IntVar(&cfg.events, "events", 200, "events in each of the spaced and burst phases")
	fs.IntVar(&cfg.warmup, "warmup", 5, "events sent and discarded before measuring")
	fs.Float64Var(&cfg.rate, "rate", 20000, "deliveries per second offered in the spaced phase")
	fs.IntVar(&cfg.perAddr, "per-addr", 500, "sockets per 127.x source address")
	fs.IntVar(&cfg.procs, "client-procs", 0, "client processes (0: one per 9,000 sockets, at least 2)")
	fs.StringVar(&cfg.cpuProfile, "cpu-profile", "", "save the measured server's CPU profile (pprof) of the spaced phase here")
	target := fs.String("target", targetOurs, "server measured: ours or centrifuge (the raw gobws loop runs after it)")
	baseline := fs.Bool("baseline", true, "also run the raw gobws loop in the same invocation")
	compare := fs.String("compare", "", "another server to run in the same invocation (centrifuge or ours), reported on stderr")
	centrifugeSrc := fs.String("centrifuge-src", "", "directory of the centrifuge-target module (default: found from the working directory)")
	_ = fs.Parse(args)
	if *target != targetOurs && *target != targetCentrifuge && *target != targetGobws {
		return fmt.Errorf("-target %q: want ours or centrifuge", *target)
	}
	progress.Printf("fanout: %d subscribers, %d events, %.0f deliveries/s offered; %s", cfg.subscribers, cfg.events, cfg.rate, describeMachine())

	w, err := openWorkspace()
	if err != nil {
		return err
	}
	defer w.close()

	opts := serverOptions{dir: w.dir, upstream: w.up.addr, centrifugeSrc: *centrifugeSrc}
	opts.target = *target
	res, err := measureFanout(opts, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", *target, err)
	}
	if *compare != "" {
		opts.target = *compare
		other, err := measureFanout(opts, cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", *compare, err)
		}
		progress.Printf("%s: p50 %v p99 %v p99.9 %v, %.2f µs/delivery, burst %.0f deliveries/s, lost %d",
			*compare, other.p50, other.p99, other.p999, other.cpuPerDelivery, other.burstPerSecond, other.lost)
	}
	base := fanoutResult{}
	if *baseline {
		opts.target = targetGobws
		cfg.cpuProfile = ""
		if base, err = measureFanout(opts, cfg); err != nil {
			return fmt.Errorf("gobws: %w", err)
		}
	}
	fmt.Printf("fanout: subscribers=%d p50_ms=%s p99_ms=%s p999_ms=%s cpu_us_per_delivery=%s burst_deliveries_per_s=%s base_p99_ms=%s base_cpu_us_per_delivery=%s base_burst_deliveries_per_s=%s lost=%d\n",
		res.connected, decimal(ms(res.p50)), decimal(ms(res.p99)), decimal(ms(res.p999)), decimal(res.cpuPerDelivery),
		decimal(res.burstPerSecond), decimal(ms(base.p99)), decimal(base.cpuPerDelivery), decimal(base.burstPerSecond), res.lost)
	return nil
}

// measureFanout runs the warmup, spaced and burst phases against one
// target.
func measureFanout(o serverOptions, cfg fanoutConfig) (fanoutResult, error) {
	var res fanoutResult
	srv, err := startServer(o)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	connStart := time.Now()
	g, err := startClients(clientSpec{proto: srv.proto, url: srv.wsURL, sockets: cfg.subscribers, perAddr: cfg.perAddr, procs: cfg.procs})
	if err != nil {
		return res, err
	}
	defer g.close()
	progress.Printf("%s: %d sockets connected in %s, %d failed %s", o.target, g.ready.Connected, time.Since(connStart).Round(time.Millisecond), g.ready.Failed, g.ready.Err)
	if g.ready.Connected == 0 {
		return res, errors.New("no socket connected")
	}
	res.connected = g.ready.Connected
	p := newPoster(srv.postURL)
	interval := time.Duration(float64(time.Second) * float64(res.connected) / cfg.rate)

	// Warmup: grow stacks and buffers; not measured.
	for i := range cfg.warmup {
		if err := p.post(eventID(phaseWarmup, i, time.Now())); err != nil {
			return res, err
		}
		time.Sleep(interval)
	}
	if _, err := g.collect(phaseWarmup, cfg.warmup, 60*time.Second); err != nil {
		return res, err
	}

	// Spaced: one event every interval, each POST at its scheduled time.
	cpu0, err := cpuTime(srv.pid())
	if err != nil {
		return res, err
	}
	var (
		wg      sync.WaitGroup
		errMu   sync.Mutex
		postErr error
	)
	start := time.Now().Add(50 * time.Millisecond)
	profiled := make(chan error, 1)
	if cfg.cpuProfile != "" {
		seconds := max(1, int((time.Duration(cfg.events) * interval).Seconds()))
		go func() { profiled <- srv.saveProfile("profile?seconds="+strconv.Itoa(seconds), cfg.cpuProfile) }()
	} else {
		profiled <- nil
	}
	for i := range cfg.events {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.post(eventID(phaseSpaced, i, at)); err != nil {
				errMu.Lock()
				postErr = errors.Join(postErr, err)
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if postErr != nil {
		return res, postErr
	}
	sp, err := g.collect(phaseSpaced, cfg.events, drainTimeout(cfg.events*res.connected))
	if err != nil {
		return res, err
	}
	cpu1, err := cpuTime(srv.pid())
	if err != nil {
		return res, err
	}
	if err := <-profiled; err != nil {
		return res, fmt.Errorf("CPU profile: %w", err)
	}
	res.p50, res.p99, res.p999 = sp.lat.quantile(0.5), sp.lat.quantile(0.99), sp.lat.quantile(0.999)
	res.spacedDeliveries = sp.received
	res.cpuPerDelivery = perDelivery(cpu1-cpu0, sp.received)
	progress.Printf("%s spaced: %d/%d delivered, p50 %v p99 %v p99.9 %v, server CPU %v = %.2f µs/delivery, %d sockets closed",
		o.target, sp.received, sp.expected, res.p50, res.p99, res.p999, cpu1-cpu0, res.cpuPerDelivery, sp.closed)

	// Burst: every write back to back.
	t0 := time.Now()
	for i := range cfg.events {
		if err := p.post(eventID(phaseBurst, i, time.Now())); err != nil {
			return res, err
		}
	}
	posted := time.Since(t0)
	b, err := g.collect(phaseBurst, cfg.events, drainTimeout(cfg.events*res.connected))
	if err != nil {
		return res, err
	}
	cpu2, err := cpuTime(srv.pid())
	if err != nil {
		return res, err
	}
	res.burstCPU = perDelivery(cpu2-cpu1, b.received)
	if span := b.last.Sub(t0).Seconds(); !b.last.IsZero() && span > 0 {
		res.burstPerSecond = float64(b.received) / span
	}
	res.lost = sp.lost() + b.lost()
	if n, first := srv.logSummary(); n > 0 {
		progress.Printf("%s logged %d warnings or errors; the first: %s", o.target, n, first)
	}
	progress.Printf("%s burst: %d writes in %v, %d/%d delivered in %v = %.0f deliveries/s, p99 %v, server CPU %v = %.2f µs/delivery, %d sockets closed",
		o.target, cfg.events, posted.Round(time.Millisecond), b.received, b.expected, b.last.Sub(t0).Round(time.Millisecond),
		res.burstPerSecond, b.lat.quantile(0.99), cpu2-cpu1, res.burstCPU, b.closed)
	return res, nil
}

// drainTimeout is how long after its last write a phase's deliveries may
// still arrive before they count as lost: a minute, or the time to deliver
// them at 5,000/s on a machine busy with other work.
func drainTimeout(deliveries int) time.Duration {
	return max(time.Minute, time.Duration(deliveries/5000)*time.Second)
}

func perDelivery(cpu time.Duration, deliveries int64) float64 {
	if deliveries == 0 {
		return 0
	}
	return float64(cpu) / float64(time.Microsecond) / float64(deliveries)
}
