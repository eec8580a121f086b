package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEventIDRoundTripsThroughTheSidecarsEvent(t *testing.T) {
	at := time.Unix(1700000000, 123456789)
	id := eventID(phaseSpaced, 42, at)
	msg := mutationJSON(nil, id, 123, time.Now(), "0123456789abcdef")
	if len(msg) != eventPayload {
		t.Errorf("event is %d bytes, want %d: %s", len(msg), eventPayload, msg)
	}
	phase, got, ok := parseEvent(msg)
	if !ok || phase != phaseSpaced || !got.Equal(at) {
		t.Fatalf("parseEvent = %c %v %v, want s %v", phase, got, ok, at)
	}
	for _, bad := range []string{
		`{"type":"welcome"}`,
		`{"documentId":"bench-s"}`,
		`{"documentId":"bench-s-1-notanumber-x"}`,
		`{"documentId":"other-s-1-1-x"}`,
	} {
		if _, _, ok := parseEvent([]byte(bad)); ok {
			t.Errorf("parseEvent(%s) accepted it", bad)
		}
	}
}

func TestQuantilesAreWithinOnePercentAbove(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.5: 500 * time.Millisecond, 0.99: 990 * time.Millisecond, 0.999: 999 * time.Millisecond} {
		got := h.quantile(q)
		if got < want || got > want+want/100 {
			t.Errorf("quantile(%v) = %v, want %v to 1%% above", q, got, want)
		}
	}
	if got := (latencies{}).quantile(0.99); got != 0 {
		t.Errorf("empty quantile = %v", got)
	}
}

func TestSourceAddressesAreLoopbackAndShared(t *testing.T) {
	if a, b := sourceAddr(0, 500), sourceAddr(499, 500); !a.Equal(b) {
		t.Errorf("sockets 0 and 499 use %v and %v", a, b)
	}
	a := sourceAddr(500*300, 500)
	if !a.IsLoopback() || a.Equal(sourceAddr(0, 500)) {
		t.Errorf("socket 150000 uses %v", a)
	}
}

func TestCaddyfileFrontsTheUpstreamTwice(t *testing.T) {
	c := caddyfile(8080, 2019, 8081, "127.0.0.1:9000")
	for _, want := range []string{"admin 127.0.0.1:2019", "http://:8080", "cms_realtime", "jwt_secret {env.JWT_SECRET}", "http://:8081"} {
		if !strings.Contains(c, want) {
			t.Errorf("Caddyfile lacks %q:\n%s", want, c)
		}
	}
	if strings.Count(c, "reverse_proxy 127.0.0.1:9000") != 2 {
		t.Errorf("want two reverse_proxy sites:\n%s", c)
	}
}

func TestCPUTimeAndRSSOfThisProcess(t *testing.T) {
	if _, err := cpuTime(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	if kb, err := rssKiB(os.Getpid()); err != nil || kb <= 0 {
		t.Fatalf("rssKiB = %d, %v", kb, err)
	}
}

func TestCentrifugeSourceIsFoundInTheCheckout(t *testing.T) {
	dir, err := centrifugeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Errorf("centrifugeSource() = %s, which has no go.mod: %v", dir, err)
	}
}
