package main

import (
	"flag"
	"fmt"
	"time"
)

func runMemory(args []string) error {
	fs := flag.NewFlagSet("memory", flag.ExitOnError)
	conns := fs.Int("conns", 15000, "idle sockets: authenticated, subscribed to posts, present on a document")
	idle := fs.Duration("idle", 5*time.Second, "how long the sockets stay idle before RSS is read")
	perAddr := fs.Int("per-addr", 500, "sockets per 127.x source address")
	procs := fs.Int("client-procs", 0, "client processes (0: one per 9,000 sockets, at least 2)")
	target := fs.String("target", targetOurs, "server measured: ours, gobws or centrifuge")
	heapProfile := fs.String("heap-profile", "", "also save the server's heap profile (pprof) here once the sockets are idle")
	centrifugeSrc := fs.String("centrifuge-src", "", "directory of the centrifuge-target module (default: found from the working directory)")
	_ = fs.Parse(args)
	progress.Printf("memory: %d sockets on %s; %s", *conns, *target, describeMachine())

	w, err := openWorkspace()
	if err != nil {
		return err
	}
	defer w.close()
	srv, err := startServer(serverOptions{target: *target, dir: w.dir, upstream: w.up.addr, centrifugeSrc: *centrifugeSrc})
	if err != nil {
		return err
	}
	defer srv.stop()

	// Before: a server that has started and collected its garbage.
	time.Sleep(time.Second)
	rss0, g0, err := settledFootprint(srv, 0)
	if err != nil {
		return err
	}
	mem0, err := srv.memStats()
	if err != nil {
		return err
	}
	start := time.Now()
	g, err := startClients(clientSpec{proto: srv.proto, url: srv.wsURL, sockets: *conns, presence: true, perAddr: *perAddr, procs: *procs})
	if err != nil {
		return err
	}
	defer g.close()
	progress.Printf("%s: %d sockets connected in %s, %d failed %s", *target, g.ready.Connected, time.Since(start).Round(time.Millisecond), g.ready.Failed, g.ready.Err)
	if g.ready.Connected == 0 {
		return fmt.Errorf("no socket connected")
	}
	rss1, g1, err := settledFootprint(srv, *idle)
	if err != nil {
		return err
	}
	mem1, err := srv.memStats()
	if err != nil {
		return err
	}
	perConnKiB := func(name string) float64 { return float64(mem1[name]-mem0[name]) / 1024 / float64(g.ready.Connected) }
	progress.Printf("%s: per socket: goroutine stacks %.2f KiB, heap in use %.2f KiB (%.1f objects), heap free but not released %.2f KiB, GC and runtime %.2f KiB",
		*target, perConnKiB("Stack"), perConnKiB("HeapInuse"), float64(mem1["HeapObjects"]-mem0["HeapObjects"])/float64(g.ready.Connected),
		perConnKiB("HeapIdle")-perConnKiB("HeapReleased"), perConnKiB("MSpan")+perConnKiB("GCSys")+perConnKiB("OtherSys"))
	if *heapProfile != "" {
		if err := srv.saveProfile("heap", *heapProfile); err != nil {
			return err
		}
	}
	n := float64(g.ready.Connected)
	perConn := float64(rss1-rss0) / n
	progress.Printf("%s: RSS %d KiB -> %d KiB, goroutines %d -> %d", *target, rss0, rss1, g0, g1)
	fmt.Printf("memory: conns=%d rss_per_conn_kib=%s goroutines_per_conn=%s\n", g.ready.Connected, decimal(perConn), decimal(float64(g1-g0)/n))
	return nil
}

// settledFootprint collects the server's garbage, lets it idle, collects
// again and reads its RSS and goroutine count. Every target is measured the
// same way, so garbage left by the handshakes is not counted for anyone.
func settledFootprint(srv *server, idle time.Duration) (rssKB int64, goroutines int, err error) {
	if err := srv.gc(); err != nil {
		return 0, 0, err
	}
	time.Sleep(idle)
	if err := srv.gc(); err != nil {
		return 0, 0, err
	}
	if rssKB, err = rssKiB(srv.pid()); err != nil {
		return 0, 0, err
	}
	goroutines, err = srv.goroutines()
	return rssKB, goroutines, err
}
