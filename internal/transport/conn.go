package transport

import (
	"io"
	"net"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

var (
	pingFrame = ws.MustCompileFrame(ws.NewPingFrame(nil))
)

// Serve runs client over conn until either side closes it. r reads the
// connection (it may hold bytes buffered during the handshake). Serve starts
// the reading and writing goroutines and returns at once.
func Serve(conn net.Conn, r io.Reader, client *hub.Client, opts Options) {
	opts.setDefaults()
	readerDone := make(chan struct{})
	go func() {
		defer client.Closed()
		writeLoop(conn, client, opts, readerDone)
	}()
	go func() {
		defer close(readerDone)
		readLoop(conn, r, client, opts)
	}()
}

// Reject closes a freshly upgraded connection with code and reason, for a
// socket refused before it reaches the hub (bad token, dataset not allowed).
func Reject(conn net.Conn, code uint16, reason string) {
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Write(closeFrame(code, reason))
	_ = conn.Close()
}

func closeFrame(code uint16, reason string) []byte {
	if len(reason) > 120 {
		reason = reason[:120]
	}
	return ws.MustCompileFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusCode(code), reason)))
}

// writeLoop writes the client's queue, pings on schedule, and on Done sends
// what is still queued (briefly) and the close frame.
func writeLoop(conn net.Conn, client *hub.Client, opts Options, readerDone <-chan struct{}) {
	ticker := time.NewTicker(opts.PingInterval)
	defer ticker.Stop()
	var batch [][]byte
	write := func(timeout time.Duration) error {
		batch = client.Drain(batch[:0])
		if len(batch) == 0 {
			return nil
		}
		_ = conn.SetWriteDeadline(time.Now().Add(timeout))
		bufs := net.Buffers(batch)
		_, err := bufs.WriteTo(conn)
		clear(batch)
		return err
	}
	for {
		// A closed client goes first: a random pick between ready channels
		// could start another long write to a socket already being closed.
		select {
		case <-client.Done():
			finish(conn, client, readerDone, write)
			return
		default:
		}
		select {
		case <-client.Ready():
			if err := write(opts.WriteTimeout); err != nil {
				// A write that failed part-way leaves the stream mid-frame:
				// no close frame can follow it, only the end of the connection.
				client.Kick(hub.CloseGoingAway, "write failed")
				_ = conn.Close()
				return
			}
		case <-ticker.C:
			_ = conn.SetWriteDeadline(time.Now().Add(opts.WriteTimeout))
			if _, err := conn.Write(pingFrame); err != nil {
				client.Kick(hub.CloseGoingAway, "write failed")
				_ = conn.Close()
				return
			}
		case <-client.Done():
			finish(conn, client, readerDone, write)
			return
		}
	}
}

// finish sends what is still queued (briefly; not to a slow consumer, whose
// queue is the problem) and the close frame with the hub's code, then
// closes the connection gracefully.
func finish(conn net.Conn, client *hub.Client, readerDone <-chan struct{}, write func(time.Duration) error) {
	code, reason := client.CloseCode()
	if code != hub.CloseSlowConsumer {
		if err := write(time.Second); err != nil {
			_ = conn.Close()
			return
		}
	}
	_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write(closeFrame(code, reason)); err != nil {
		_ = conn.Close()
		return
	}
	closeGracefully(conn, readerDone)
}

// closeGracefully ends the connection after the close frame was written:
// it half-closes the write side, gives the reader a moment to consume what
// the client still sends (its close reply, or the rest of an oversized
// frame), and only then closes. Closing with unread input would make the
// kernel answer with a reset, and the client could lose the close frame.
func closeGracefully(conn net.Conn, readerDone <-chan struct{}) {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Second))
	select {
	case <-readerDone:
	case <-time.After(2 * time.Second):
	}
	_ = conn.Close()
}
