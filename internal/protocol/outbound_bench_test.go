package protocol

import (
	"testing"
	"time"
)

var benchEvent = Event{
	DocumentID:   "post-8f14e45fceea167a5a36dedd4bea2543",
	DocumentType: "post",
	Operation:    "update",
	TS:           time.Date(2026, 11, 27, 6, 0, 0, 123e6, time.UTC),
	Seq:          123456,
	Epoch:        "0123456789abcdef",
}

// BenchmarkAppendMutation encodes the event every subscriber of a change
// shares; with a reused buffer it allocates nothing.
func BenchmarkAppendMutation(b *testing.B) {
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendMutation(buf[:0], &benchEvent)
	}
	b.SetBytes(int64(len(buf)))
}

func TestAppendMutationNoAllocWithRoomInItsBuffer(t *testing.T) {
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = AppendMutation(buf[:0], &benchEvent) }); n != 0 {
		t.Fatalf("AppendMutation allocates %v times with room in its buffer", n)
	}
}

// BenchmarkDecode parses the messages a socket sends most: subscribe,
// presence and ping.
func BenchmarkDecode(b *testing.B) {
	for _, msg := range []struct{ name, text string }{
		{"subscribe", `{"type":"subscribe","query":"*[_type == \"post\" && category == $c]","params":{"c":"news"}}`},
		{"presence.join", `{"type":"presence.join","documentId":"post-8f14e45fceea167a5a36dedd4bea2543"}`},
		{"ping", `{"type":"ping"}`},
	} {
		data := []byte(msg.text)
		b.Run(msg.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
