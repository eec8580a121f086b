package hub

import "testing"

// takeAll is a socket that takes every frame at once.
type takeAll struct{}

func (takeAll) TryWrite(p []byte) (int, error) { return len(p), nil }
func (takeAll) Write([][]byte) error           { return nil }
func (takeAll) Close([][]byte, uint16, string) {}
func (takeAll) Abort()                         {}

// BenchmarkWiredPublishFanout10k publishes one event to 10,000 subscribed
// clients whose sockets take every frame at once: the hub's own cost of a
// delivery on the inline write path, without the system call.
func BenchmarkWiredPublishFanout10k(b *testing.B) {
	const n = 10000
	h := New(Config{})
	for _, c := range subscribedClients(b, h, n, allPosts) {
		c.Attach(takeAll{})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		h.Publish("d", benchPost)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/recipient")
}
