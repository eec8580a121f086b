package transport

import (
	"io"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// readLoop reads the socket from a goroutine of its own, for connections
// the poller cannot read (TLS, pipes, other systems), until the input ends;
// then it disconnects the client from the hub (which announces its presence
// leaves).
func (c *conn) readLoop(r io.Reader) {
	defer c.endRead()
	defer c.client.Disconnect()
	v := c.readFrames(r)
	if v == discard {
		// Until the client's close reply, or the deadline the closing
		// writer sets.
		_, _ = io.Copy(io.Discard, r)
	}
}

// readFrames reads and handles frames until one ends the reading.
func (c *conn) readFrames(r io.Reader) (v verdict) {
	defer func() {
		// A panic while handling one socket's input ends that socket only.
		if p := recover(); p != nil {
			c.client.Kick(1011, "internal error")
			v = discard
		}
	}()
	var payload []byte
	for {
		h, err := ws.ReadHeader(r)
		if err != nil {
			c.client.Kick(hub.CloseGoingAway, "")
			return end
		}
		c.lastRead.Store(time.Now().UnixNano())
		if v := c.frames.check(c.client, h); v != more {
			return v
		}
		if int64(cap(payload)) < h.Length {
			payload = make([]byte, h.Length)
		}
		payload = payload[:h.Length]
		if _, err := io.ReadFull(r, payload); err != nil {
			c.client.Kick(hub.CloseGoingAway, "")
			return end
		}
		ws.Cipher(payload, h.Mask, 0)
		if v := c.frames.frame(c.client, h, payload); v != more {
			return v
		}
		if cap(payload) > 4<<10 {
			payload = nil
		}
	}
}
