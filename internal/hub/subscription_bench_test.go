package hub

import (
	"runtime"
	"testing"
)

// BenchmarkSubscribeSameQuery subscribes 10,000 clients to one query and
// reports the heap each subscription keeps: the compiled filter is shared,
// so a subscription costs its own bookkeeping only.
func BenchmarkSubscribeSameQuery(b *testing.B) {
	const n = 10000
	sub := []byte(`{"type":"subscribe","query":"*[_type == \"post\" && status == \"published\"]"}`)
	var retained float64
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		h := New(Config{})
		clients := make([]*Client, n)
		for i := range clients {
			clients[i] = benchClient(b, h, i)
			clients[i].Drain(nil)
		}
		before := heapInUse()
		b.StartTimer()
		for _, c := range clients {
			c.Handle(sub)
		}
		b.StopTimer()
		for _, c := range clients {
			c.Drain(nil)
		}
		retained = float64(heapInUse()-before) / n
		for _, c := range clients {
			c.Disconnect()
		}
		b.StartTimer()
	}
	b.ReportMetric(retained, "heap-B/subscription")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/subscribe")
}

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
