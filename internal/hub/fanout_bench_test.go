package hub

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// benchClient connects client i of a benchmark, each under its own user
// (the per-user socket limit is far below the benchmarks' counts).
func benchClient(tb testing.TB, h *Hub, i int) *Client {
	tb.Helper()
	c, err := h.Connect(ClientOptions{Dataset: "d", User: protocol.User{UserID: fmt.Sprint("u", i), UserName: fmt.Sprint("User ", i)}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Disconnect)
	return c
}

// subscribedClients connects n clients, client i subscribed to query(i),
// with their queues drained.
func subscribedClients(tb testing.TB, h *Hub, n int, query func(i int) string) []*Client {
	tb.Helper()
	clients := make([]*Client, n)
	for i := range clients {
		c := benchClient(tb, h, i)
		c.Handle(fmt.Appendf(nil, `{"type":"subscribe","query":%q}`, query(i)))
		if got := c.Drain(nil); len(got) != 3 { // welcome, snapshot, subscribed
			tb.Fatalf("client %d got %d frames after subscribing, want 3", i, len(got))
		}
		clients[i] = c
	}
	return clients
}

func allPosts(int) string { return `*[_type == "post"]` }

// drainAll empties every client's queue as its writer would.
func drainAll(clients []*Client, batch [][]byte) [][]byte {
	for _, c := range clients {
		select {
		case <-c.Ready():
		default:
		}
		batch = c.Drain(batch[:0])
		clear(batch)
	}
	return batch
}

var benchPost = Change{ID: "post-1", Type: "post", Operation: "update", Doc: map[string]any{
	"_id": "post-1", "_type": "post", "title": "Hello", "category": "c0", "tags": []any{"a", "b"},
}}

// BenchmarkPublishFanout10k publishes one event to 10,000 subscribed
// clients and drains their queues, as their writers would: the event is
// encoded once, and no recipient costs an allocation.
func BenchmarkPublishFanout10k(b *testing.B) {
	const n = 10000
	h := New(Config{})
	clients := subscribedClients(b, h, n, allPosts)
	batch := make([][]byte, 0, 8)
	var before, after runtime.MemStats
	b.ReportAllocs()
	b.ResetTimer()
	runtime.ReadMemStats(&before)
	for range b.N {
		h.Publish("d", benchPost)
		batch = drainAll(clients, batch)
	}
	runtime.ReadMemStats(&after)
	b.StopTimer()
	recipients := float64(b.N) * n
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/recipients, "allocs/recipient")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/recipients, "ns/recipient")
}

// BenchmarkMatch10kSubscriptions publishes one post against 10,000
// subscriptions with distinct filters on posts (so the type index cannot
// skip any), of which one in a hundred match.
func BenchmarkMatch10kSubscriptions(b *testing.B) {
	const n = 10000
	shapes := []func(i int) string{
		func(i int) string { return fmt.Sprintf(`*[_type == "post" && category == "c%d"]`, i%100) },
		func(i int) string { return fmt.Sprintf(`*[_type == "post" && count(tags) > %d]`, 1+i%100) },
		func(i int) string { return fmt.Sprintf(`*[_type == "post" && title match "hello%d*"]`, i%100) },
		func(i int) string {
			return fmt.Sprintf(`*[_type == "post" && (defined(slug%d) || "t%d" in tags)]`, i, i%100)
		},
	}
	h := New(Config{})
	clients := subscribedClients(b, h, n, func(i int) string { return shapes[i%len(shapes)](i) })
	batch := make([][]byte, 0, 8)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		h.Publish("d", benchPost)
		batch = drainAll(clients, batch)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/subscription")
}

// BenchmarkPresenceStorm has 1,000 clients join and leave documents in
// turn; every join and leave is announced to the 999 others.
func BenchmarkPresenceStorm(b *testing.B) {
	const n = 1000
	h := New(Config{})
	clients := make([]*Client, n)
	for i := range clients {
		clients[i] = benchClient(b, h, i)
	}
	docs := make([][]byte, 50)
	leaves := make([][]byte, len(docs))
	for i := range docs {
		docs[i] = fmt.Appendf(nil, `{"type":"presence.join","documentId":"doc-%d"}`, i)
		leaves[i] = fmt.Appendf(nil, `{"type":"presence.leave","documentId":"doc-%d"}`, i)
	}
	batch := drainAll(clients, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c := clients[i%n]
		c.limit = newTokenBucket(0, 0) // the storm is far above any client's rate limit
		c.Handle(docs[i%len(docs)])
		c.Handle(leaves[i%len(docs)])
		if i%200 == 199 {
			batch = drainAll(clients, batch)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(2*(n-1)), "ns/announcement")
}
