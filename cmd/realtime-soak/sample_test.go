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

func TestHeapInuse(t *testing.T) {
	profile := "heap profile: 3: 96 [9: 288] @ heap/1048576\n1: 32 [1: 32] @ 0x1\n\n# runtime.MemStats\n# Alloc = 1000\n# HeapInuse = 4194304\n# Stack = 65536 / 65536\n"
	if n, err := heapInuse(strings.NewReader(profile)); err != nil || n != 4194304 {
		t.Errorf("heapInuse = %d, %v, want 4194304", n, err)
	}
	if n, err := heapInuse(strings.NewReader("heap profile: 0: 0 [0: 0] @ heap/1048576\n")); err == nil {
		t.Errorf("heapInuse without MemStats = %d, want an error", n)
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
