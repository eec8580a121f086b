package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary be the processes the bench starts (it
// re-executes itself as clients and servers).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case clientMode, caddyMode, gobwsMode:
			main()
			return
		}
	}
	os.Exit(m.Run())
}

func TestFanoutDeliversEveryEventOnEveryTarget(t *testing.T) {
	up, err := startUpstream()
	if err != nil {
		t.Fatal(err)
	}
	defer up.close()
	cfg := fanoutConfig{subscribers: 30, events: 4, warmup: 1, rate: 3000, perAddr: 10, procs: 2}
	for _, target := range []string{targetOurs, targetGobws} {
		t.Run(target, func(t *testing.T) {
			res, err := measureFanout(serverOptions{target: target, dir: t.TempDir(), upstream: up.addr}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.connected != 30 || res.lost != 0 || res.spacedDeliveries != 120 {
				t.Fatalf("connected %d, lost %d, spaced deliveries %d; want 30, 0, 120", res.connected, res.lost, res.spacedDeliveries)
			}
			if res.p50 <= 0 || res.p99 < res.p50 || res.burstPerSecond <= 0 {
				t.Fatalf("figures out of order: %+v", res)
			}
		})
	}
}
