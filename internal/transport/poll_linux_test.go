package transport

import (
	"bytes"
	"slices"
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

// FuzzPollerReadsLikeTheGoroutine feeds the same bytes to both ways of
// reading a socket, the poller's in pieces of a fuzzed size: the client must
// get the same messages (seen in its replies) and be closed with the same
// code.
func FuzzPollerReadsLikeTheGoroutine(f *testing.F) {
	var seed []byte
	seed = append(seed, clientFrame(ws.OpText, true, []byte(`{"type":"ping"}`))...)
	seed = append(seed, clientFrame(ws.OpText, false, []byte(`{"type":`))...)
	seed = append(seed, clientFrame(ws.OpPing, true, []byte("hi"))...)
	seed = append(seed, clientFrame(ws.OpContinuation, true, []byte(`"ping"}`))...)
	seed = append(seed, clientFrame(ws.OpClose, true, ws.NewCloseFrameBody(ws.StatusNormalClosure, ""))...)
	f.Add(seed, uint8(3))
	f.Add(clientFrame(ws.OpText, true, bytes.Repeat([]byte("x"), 100)), uint8(7))
	f.Add(clientFrame(ws.OpBinary, true, []byte{1}), uint8(0))
	f.Fuzz(func(t *testing.T, input []byte, cut uint8) {
		size := int(cut)%16 + 1
		polledReplies, polledCode := readAs(t, func(c *conn) {
			c.polled = &polled{}
			for data := range slices.Chunk(input, size) {
				if !c.input(bytes.Clone(data)) {
					return
				}
			}
			c.inputEnded()
		})
		replies, code := readAs(t, func(c *conn) { c.readFrames(bytes.NewReader(input)) })
		if polledCode != code {
			t.Fatalf("poller closed with %d, goroutine with %d", polledCode, code)
		}
		if !slices.EqualFunc(polledReplies, replies, bytes.Equal) {
			t.Fatalf("poller replied %q, goroutine %q", polledReplies, replies)
		}
	})
}

// readAs runs read on a fresh client with a 64-byte message limit and no
// rate limit, and returns its replies and close code.
func readAs(t *testing.T, read func(c *conn)) ([][]byte, uint16) {
	h := hub.New(hub.Config{})
	client := connectClient(t, h, &hub.Limits{MessageRate: 1e9, MessageBurst: 1 << 30})
	client.Drain(nil) // welcome and snapshot
	read(&conn{client: client, frames: frameReader{max: 64}})
	replies := client.Drain(nil)
	code, _ := client.CloseCode()
	return replies, code
}
