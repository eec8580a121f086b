//go:build !race

package transport

import (
	"io"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// TestInlineSocketWriteAllocatesNothing: a frame written straight to an
// idle socket (the fan-out's common case) allocates nothing.
func TestInlineSocketWriteAllocatesNothing(t *testing.T) {
	h := hub.New(hub.Config{})
	server, client := tcpPair(t)
	_ = client.SetReadBuffer(4 << 20)
	c := serve(server, server, connectClient(t, h, nil), Options{})
	go func() { _, _ = io.Copy(io.Discard, client) }()
	frame := serverFrame([]byte(`{"type":"mutation","documentId":"d"}`))
	if n := testing.AllocsPerRun(1000, func() { c.client.Send(frame) }); n != 0 {
		t.Fatalf("a send allocates %v times", n)
	}
}
