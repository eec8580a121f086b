package hub

import "runtime/debug"

// The hub starts goroutines of its own: fan-out shards, a socket's writer
// when the socket does not take a frame at once, a disconnect after a kick,
// the token expiry timer. A panic on one of them would end the whole
// process and every socket with it, so each recovers: the panic is
// reported to Config.OnPanic and the client it was serving, if any, is
// closed with CloseInternalError. A bug then costs one socket, not the
// server.

// recovered is deferred at the top of those goroutines; c is the client the
// goroutine serves, or nil.
func (h *Hub) recovered(c *Client) {
	v := recover()
	if v == nil {
		return
	}
	h.reportPanic(v)
	if c != nil {
		c.kick(CloseInternalError, "internal error")
	}
}

// reportPanic hands a recovered panic to Config.OnPanic, from the deferred
// call that recovered it (so that the stack still shows where it began).
func (h *Hub) reportPanic(v any) {
	if h.cfg.OnPanic != nil {
		h.cfg.OnPanic(v, debug.Stack())
	}
}
