package transport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

const writer = "hub.(*Client).writeOut"

// TestFramesQueueWhileThePeerDoesNotReadAndArriveWholeInOrder has two
// goroutines send 300 frames of 8 KiB each to a socket whose peer does not
// read: the kernel buffers fill, so the inline writes must queue the rest
// without blocking and leave it to one writer, which must deliver every
// frame whole, each sender's in its order, and exit once the queue is empty.
func TestFramesQueueWhileThePeerDoesNotReadAndArriveWholeInOrder(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{})
			pr := servePeer(t, h, p, Options{}, &hub.Limits{QueueMessages: 1 << 16, QueueBytes: 64 << 20})
			waitFor(t, "no writer", func() bool { return goroutinesIn(writer) == 0 })
			const perSender = 300
			pad := strings.Repeat("x", 8<<10)
			start := time.Now()
			var wg sync.WaitGroup
			for s := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range perSender {
						pr.conn.client.Send(serverFrame(fmt.Appendf(nil, `{"type":"t","s":%d,"n":%d,"pad":%q}`, s, i, pad)))
					}
				}()
			}
			wg.Wait()
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("sending to a socket that does not read took %v", d)
			}
			if n := goroutinesIn(writer); n != 1 {
				t.Fatalf("%d writers while the peer does not read, want 1", n)
			}
			next := [2]int{}
			for range 2 * perSender {
				_, b := pr.frame(10 * time.Second)
				var m struct{ S, N int }
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatalf("torn frame: %v", err)
				}
				if m.N != next[m.S] {
					t.Fatalf("sender %d: frame %d after %d", m.S, m.N, next[m.S]-1)
				}
				next[m.S]++
			}
			waitFor(t, "the writer to exit", func() bool { return goroutinesIn(writer) == 0 })
			pr.sendText(`{"type":"ping"}`)
			pr.expect("pong")
			pr.closeNormally()
		})
	}
}

// TestFramesSplitAcrossReads trickles frames in pieces, a fragmented
// message with a ping between its fragments, a message just under the
// size limit, then one over it.
func TestFramesSplitAcrossReads(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{})
			pr := servePeer(t, h, p, Options{}, nil)
			pr.trickle(clientFrame(ws.OpText, true, []byte(`{"type":"ping"}`)), 1)
			pr.expect("pong")

			var b []byte
			b = append(b, clientFrame(ws.OpText, false, []byte(`{"type":`))...)
			b = append(b, clientFrame(ws.OpPing, true, []byte("hi"))...)
			b = append(b, clientFrame(ws.OpContinuation, true, []byte(`"ping"}`))...)
			pr.trickle(b, 3)
			if h, payload := pr.frame(5 * time.Second); h.OpCode != ws.OpPong || string(payload) != "hi" {
				t.Fatalf("ping between fragments answered with %v %q", h.OpCode, payload)
			}
			pr.expect("pong")

			big := `{"type":"ping","pad":"` + strings.Repeat("y", 64<<10-100) + `"}`
			pr.trickle(clientFrame(ws.OpText, true, []byte(big)), 7000)
			pr.expect("pong")

			pr.write(clientFrame(ws.OpBinary, true, []byte{1, 2, 3}))
			if m := pr.expect("error"); m["code"] == nil {
				t.Fatalf("binary frame answered with %v", m)
			}

			pr.write(clientFrame(ws.OpText, true, bytes.Repeat([]byte(" "), 64<<10+1)))
			pr.expectClose(hub.CloseTooBig, 5*time.Second)
		})
	}
}

// TestBytesReadAheadByTheHandshakeAreHandled: a frame the client sent right
// behind its upgrade request sits in the handshake's reader.
func TestBytesReadAheadByTheHandshakeAreHandled(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{})
			server, client := tcpPair(t)
			ping := clientFrame(ws.OpText, true, []byte(`{"type":"ping"}`))
			if _, err := client.Write(ping); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(p.wrap(server))
			if _, err := br.Peek(len(ping)); err != nil {
				t.Fatal(err)
			}
			serve(p.wrap(server), br, connectClient(t, h, nil), Options{})
			pr := &peer{t: t, nc: client, r: bufio.NewReader(client)}
			pr.expect("welcome")
			pr.expect("presence.snapshot")
			pr.expect("pong")
		})
	}
}

// TestHeartbeatPingsAndClosesSilentSockets: with a ping every 100 ms and a
// pong timeout of 100 ms, a peer that answers pings stays open and a peer
// that sends nothing is closed with 1001.
func TestHeartbeatPingsAndClosesSilentSockets(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{})
			opts := Options{PingInterval: 100 * time.Millisecond, PongTimeout: 100 * time.Millisecond}
			silent := servePeer(t, h, p, opts, nil)
			live := servePeer(t, h, p, opts, nil)

			done := make(chan int)
			go func() { // the live peer answers every ping for a second
				pings := 0
				for end := time.Now().Add(time.Second); time.Now().Before(end); {
					h, _ := live.frame(time.Second)
					if h.OpCode != ws.OpPing {
						t.Errorf("live peer got opcode %v", h.OpCode)
						break
					}
					pings++
					live.write(clientFrame(ws.OpPong, true, nil))
				}
				done <- pings
			}()

			start := time.Now()
			if h, _ := silent.frame(time.Second); h.OpCode != ws.OpPing {
				t.Fatalf("silent peer got opcode %v, want a ping", h.OpCode)
			}
			silent.expectClose(hub.CloseGoingAway, 2*time.Second)
			if d := time.Since(start); d < 150*time.Millisecond {
				t.Fatalf("silent socket closed after %v, before ping interval and pong timeout", d)
			}
			// About 10 are due; a loaded machine delays the sweep, so the
			// floor only asks that the pings kept coming (the silent peer,
			// pinged as often, was closed within 200 ms of its first).
			if pings := <-done; pings < 4 || pings > 14 {
				t.Fatalf("live peer got %d pings in a second, want about 10", pings)
			}
			live.closeNormally()
		})
	}
}

// TestPanicWhileHandlingClosesThatSocketOnly: a subscription whose compiler
// panics closes its socket with 1011; another socket carries on.
func TestPanicWhileHandlingClosesThatSocketOnly(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{Compile: func(string, map[string]any) (hub.Filter, error) { panic("boom") }})
			bad := servePeer(t, h, p, Options{}, nil)
			good := servePeer(t, h, p, Options{}, nil)
			bad.sendText(`{"type":"subscribe","query":"*"}`)
			bad.expectClose(1011, 5*time.Second)
			good.sendText(`{"type":"ping"}`)
			good.expect("pong")
			good.closeNormally()
		})
	}
}

// TestShutdownClosesEverySocketWithGoingAway: Shutdown returns once every
// transport has written its close frame.
func TestShutdownClosesEverySocketWithGoingAway(t *testing.T) {
	h := hub.New(hub.Config{})
	var peers []*peer
	for _, p := range paths {
		peers = append(peers, servePeer(t, h, p, Options{}, nil), servePeer(t, h, p, Options{}, nil))
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- h.Shutdown(ctx, hub.CloseGoingAway, "server shutting down")
	}()
	for _, pr := range peers {
		pr.expectClose(hub.CloseGoingAway, 5*time.Second)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if st := h.Stats(); st.Clients != 0 {
		t.Fatalf("%d clients left after Shutdown", st.Clients)
	}
}

// TestSlowConsumerGetsWholeFramesThenItsCloseCode: a peer that stops
// reading overflows its queue; when it reads again it finds whole frames,
// then 4008.
func TestSlowConsumerGetsWholeFramesThenItsCloseCode(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := hub.New(hub.Config{})
			pr := servePeer(t, h, p, Options{}, &hub.Limits{QueueMessages: 64, QueueBytes: 1 << 20})
			pad := strings.Repeat("z", 4<<10)
			for i := 0; ; i++ {
				pr.conn.client.Send(serverFrame(fmt.Appendf(nil, `{"type":"t","n":%d,"pad":%q}`, i, pad)))
				select {
				case <-pr.conn.client.Done():
				default:
					continue
				}
				break
			}
			for n := 0; ; n++ {
				h, b := pr.frame(15 * time.Second)
				if h.OpCode == ws.OpClose {
					if code := binary.BigEndian.Uint16(b); code != hub.CloseSlowConsumer {
						t.Fatalf("closed with %d after %d frames", code, n)
					}
					return
				}
				var m struct{ N int }
				if err := json.Unmarshal(b, &m); err != nil || m.N != n {
					t.Fatalf("frame %d: %v %.40q", n, err, b)
				}
			}
		})
	}
}

// TestPipeIsServedByGoroutines: an in-memory pipe (no descriptor) works
// end to end, close handshake included.
func TestPipeIsServedByGoroutines(t *testing.T) {
	h := hub.New(hub.Config{})
	server, client := net.Pipe()
	t.Cleanup(func() { server.Close(); client.Close() })
	c := serve(server, server, connectClient(t, h, nil), Options{})
	if c.raw != nil || c.polled != nil {
		t.Fatal("a pipe has no descriptor to poll or write without blocking")
	}
	pr := &peer{t: t, nc: client, r: bufio.NewReader(client), conn: c}
	pr.expect("welcome")
	pr.expect("presence.snapshot")
	pr.sendText(`{"type":"ping"}`)
	pr.expect("pong")
	pr.closeNormally()
}
