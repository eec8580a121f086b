package main

import (
	"strings"
	"testing"
)

func TestGoroutineTotal(t *testing.T) {
	n, err := goroutineTotal(strings.NewReader("goroutine profile: total 57\n12 @ 0x43e\n"))
	if err != nil || n != 57 {
		t.Errorf("goroutineTotal = %d, %v, want 57", n, err)
	}
	for _, bad := range []string{"", "heap profile: 1: 2 [3: 4] @ heap/1048576\n", "goroutine profile: total many\n"} {
		if n, err := goroutineTotal(strings.NewReader(bad)); err == nil {
			t.Errorf("goroutineTotal(%q) = %d, want an error", bad, n)
		}
	}
}

func TestVMRSS(t *testing.T) {
	status := "Name:\tcaddy\nVmPeak:\t 1300000 kB\nVmRSS:\t   56789 kB\nThreads:\t9\n"
	if kib, err := vmRSS(status); err != nil || kib != 56789 {
		t.Errorf("vmRSS = %d, %v, want 56789", kib, err)
	}
	if kib, err := vmRSS("Name:\tzombie\nThreads:\t1\n"); err == nil {
		t.Errorf("vmRSS without a VmRSS line = %d, want an error", kib)
	}
}

func TestWithinSlack(t *testing.T) {
	c := config{goroutineSlack: 20, rssSlackMiB: 64}
	base := sample{goroutines: 60, rssKiB: 50 << 10}
	for _, tc := range []struct {
		s    sample
		want bool
	}{
		{sample{goroutines: 60, rssKiB: 50 << 10}, true},
		{sample{goroutines: 80, rssKiB: 114 << 10}, true},
		{sample{goroutines: 81, rssKiB: 50 << 10}, false},
		{sample{goroutines: 60, rssKiB: 115 << 10}, false},
	} {
		if got := withinSlack(base, tc.s, c); got != tc.want {
			t.Errorf("withinSlack(%v, %v) = %v, want %v", base, tc.s, got, tc.want)
		}
	}
}
