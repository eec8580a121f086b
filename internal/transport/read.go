package transport

import (
	"errors"
	"io"
	"net"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

var errTooBig = errors.New("message too big")

// readLoop reads frames until the connection fails or closes, then
// disconnects the client from the hub (which announces its presence leaves).
func readLoop(conn net.Conn, r io.Reader, client *hub.Client, opts Options) {
	defer client.Disconnect()
	defer func() {
		// A panic while handling one socket's input ends that socket only.
		if p := recover(); p != nil {
			client.Kick(1011, "internal error")
		}
	}()
	var (
		payload []byte
		message []byte
		msgOp   ws.OpCode
	)
	idle := opts.PingInterval + opts.PongTimeout
	for {
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		hdr, err := ws.ReadHeader(r)
		if err != nil {
			client.Kick(hub.CloseGoingAway, "")
			return
		}
		if !hdr.Masked || hdr.Rsv != 0 {
			client.Kick(uint16(ws.StatusProtocolError), "client frames must be masked and use no extensions")
			discard(r)
			return
		}
		if hdr.Length > opts.MaxMessage || (!hdr.OpCode.IsControl() && int64(len(message))+hdr.Length > opts.MaxMessage) {
			client.Kick(hub.CloseTooBig, errTooBig.Error())
			discard(r)
			return
		}
		if int64(cap(payload)) < hdr.Length {
			payload = make([]byte, hdr.Length)
		}
		payload = payload[:hdr.Length]
		if _, err := io.ReadFull(r, payload); err != nil {
			client.Kick(hub.CloseGoingAway, "")
			return
		}
		ws.Cipher(payload, hdr.Mask, 0)

		switch hdr.OpCode {
		case ws.OpPing:
			client.Send(ws.MustCompileFrame(ws.NewPongFrame(payload)))
			continue
		case ws.OpPong:
			continue
		case ws.OpClose:
			code, _ := ws.ParseCloseFrameData(payload)
			if code == 0 {
				code = ws.StatusNormalClosure
			}
			client.Kick(uint16(code), "")
			return
		case ws.OpContinuation:
			if msgOp == 0 {
				client.Kick(uint16(ws.StatusProtocolError), "continuation without a message")
				return
			}
		case ws.OpText, ws.OpBinary:
			if msgOp != 0 {
				client.Kick(uint16(ws.StatusProtocolError), "new message inside a fragmented one")
				return
			}
			msgOp = hdr.OpCode
			message = message[:0]
		default:
			client.Kick(uint16(ws.StatusProtocolError), "unknown opcode")
			return
		}
		message = append(message, payload...)
		if !hdr.Fin {
			continue
		}
		op := msgOp
		msgOp = 0
		if op == ws.OpBinary {
			client.HandleBinary()
		} else {
			client.Handle(message)
		}
		if cap(message) > 4<<10 {
			message = nil
		}
		if cap(payload) > 4<<10 {
			payload = nil
		}
	}
}

// discard consumes input until the connection ends or the deadline the
// writer sets after its close frame passes, so that closing does not reset
// the connection under the client's feet.
func discard(r io.Reader) {
	_, _ = io.Copy(io.Discard, r)
}
