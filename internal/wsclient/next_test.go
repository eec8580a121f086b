package wsclient

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

// repeat is an endless reader of the same bytes, so that a benchmark of
// Next measures the frame loop and no system call.
type repeat struct {
	data []byte
	off  int
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.off == len(r.data) {
		r.off = 0
	}
	n := copy(p, r.data[r.off:])
	r.off += n
	return n, nil
}

// BenchmarkNext reads 256-byte text messages, the benchmark's events,
// through the read buffer Dial gives: the client's cost per message, which
// the benchmark's client processes pay on the cores the server runs on.
func BenchmarkNext(b *testing.B) {
	var stream bytes.Buffer
	msg := bytes.Repeat([]byte("e"), 256)
	for range 64 {
		if err := ws.WriteFrame(&stream, ws.NewTextFrame(msg)); err != nil {
			b.Fatal(err)
		}
	}
	c := &Conn{r: bufio.NewReaderSize(&repeat{data: stream.Bytes()}, readBufferSize)}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		got, _, err := c.Next()
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != len(msg) {
			b.Fatalf("message of %d bytes, want %d", len(got), len(msg))
		}
	}
}
