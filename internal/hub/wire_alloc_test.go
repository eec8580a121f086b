//go:build !race

package hub

import "testing"

// TestWiredPublishAllocationsDoNotGrowWithRecipients: a publish to 2,000
// sockets that take their frames at once (the inline write path) allocates
// no more than to 10.
func TestWiredPublishAllocationsDoNotGrowWithRecipients(t *testing.T) {
	allocs := func(n int) float64 {
		h := New(Config{})
		clients := subscribedClients(t, h, n, allPosts)
		for _, c := range clients {
			c.Attach(takeAll{})
		}
		return testing.AllocsPerRun(20, func() { h.Publish("d", benchPost) })
	}
	few, many := allocs(10), allocs(2000)
	if many > few {
		t.Fatalf("a publish to 2,000 sockets allocates %v times, to 10 sockets %v: recipients allocate", many, few)
	}
}

// TestInlineSendAllocatesNothing: writing a shared frame to an idle socket
// allocates nothing.
func TestInlineSendAllocatesNothing(t *testing.T) {
	h := New(Config{})
	c := benchClient(t, h, 0)
	c.Drain(nil)
	c.Attach(takeAll{})
	frame := textFrame([]byte(`{"type":"mutation"}`))
	if n := testing.AllocsPerRun(1000, func() { c.send(frame) }); n != 0 {
		t.Fatalf("send allocates %v times per frame", n)
	}
}
