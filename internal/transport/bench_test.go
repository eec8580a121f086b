package transport

import (
	"io"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// BenchmarkSendToSockets writes one shared 256-byte frame to each of 500
// polled loopback sockets, whose peers read as fast as they can: the cost
// of one delivery on the inline path, system call included.
func BenchmarkSendToSockets(b *testing.B) {
	const n = 500
	h := hub.New(hub.Config{MaxSocketsPerUser: -1})
	conns := make([]*conn, n)
	for i := range conns {
		server, client := tcpPair(b)
		c, err := h.Connect(hub.ClientOptions{Dataset: "d"})
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = serve(server, server, c, Options{})
		go func() { _, _ = io.Copy(io.Discard, client) }()
		b.Cleanup(c.Disconnect)
	}
	frame := serverFrame(make([]byte, 256-4))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, c := range conns {
			c.client.Send(frame)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/delivery")
}
