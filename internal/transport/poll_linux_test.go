package transport

import (
	"testing"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// TestPartialFrameBufferIsKeptOnlyWhilePartial feeds the poller's parser
// two messages cut at every third byte, the cut falling inside headers,
// masks and payloads.
func TestPartialFrameBufferIsKeptOnlyWhilePartial(t *testing.T) {
	h := hub.New(hub.Config{})
	client := connectClient(t, h, nil)
	client.Drain(nil) // welcome and snapshot
	c := &conn{client: client, frames: frameReader{max: 64 << 10}, polled: &polled{}}
	ping := clientFrame(ws.OpText, true, []byte(`{"type":"ping"}`))
	input := append(append([]byte(nil), ping...), ping...)
	for i := 0; i < len(input); i += 3 {
		chunk := input[i:min(i+3, len(input))]
		if !c.input(append([]byte(nil), chunk...)) {
			t.Fatalf("input ended at byte %d", i)
		}
		end := i + len(chunk)
		if whole := end == len(ping) || end == len(input); whole != (c.polled.pending == nil) {
			t.Fatalf("after %d bytes: pending %d bytes", end, len(c.polled.pending))
		}
	}
	if got := client.Drain(nil); len(got) != 2 {
		t.Fatalf("%d replies to two pings", len(got))
	}
}
