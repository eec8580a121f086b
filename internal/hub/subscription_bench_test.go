package hub

import (
	"runtime"
	"testing"
)

// BenchmarkSubscribeSameQuery subscribes b.N clients to one query and
// reports the heap each subscription keeps: the compiled filter is shared,
// so a subscription costs its own bookkeeping only.
func BenchmarkSubscribeSameQuery(b *testing.B) {
	sub := []byte(`{"type":"subscribe","query":"*[_type == \"post\" && status == \"published\"]"}`)
	h := New(Config{})
	clients := make([]*Client, b.N)
	for i := range clients {
		clients[i] = benchClient(b, h, i)
		clients[i].Drain(nil)
	}
	before := heapInUse()
	b.ReportAllocs()
	b.ResetTimer()
	for _, c := range clients {
		c.Handle(sub)
	}
	b.StopTimer()
	for _, c := range clients {
		c.Drain(nil)
	}
	b.ReportMetric(float64(heapInUse()-before)/float64(b.N), "heap-B/subscription")
}

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
