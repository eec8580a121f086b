//go:build !race

// The race detector's instrumentation allocates on its own, so allocation
// counts are only meaningful without it; `make test` runs this file in a
// second, race-free pass.

package hub

import "testing"

// TestPublishAllocationsDoNotGrowWithRecipients is the fan-out benchmark's
// promise as a test: a publish to 2,000 clients allocates no more than one
// to 10.
func TestPublishAllocationsDoNotGrowWithRecipients(t *testing.T) {
	allocs := func(n int) float64 {
		h := New(Config{})
		clients := subscribedClients(t, h, n, allPosts)
		batch := make([][]byte, 0, 8)
		return testing.AllocsPerRun(20, func() {
			h.Publish("d", benchPost)
			batch = drainAll(clients, batch)
		})
	}
	few, many := allocs(10), allocs(2000)
	if many > few {
		t.Fatalf("a publish to 2,000 clients allocates %v times, to 10 clients %v: recipients allocate", many, few)
	}
}
