package transport

import (
	"encoding/binary"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// verdict says how reading a socket goes on after a frame.
type verdict uint8

const (
	more    verdict = iota // keep reading
	discard                // the client was kicked: drop the input until it ends
	end                    // the input ended with the client's close frame
)

// frameReader turns a client's frames into messages for its hub.Client,
// whichever way the socket is read: it checks each header, answers control
// frames and reassembles fragmented messages up to the size limit.
type frameReader struct {
	max     int64
	message []byte    // a fragmented message being reassembled
	op      ws.OpCode // its opcode; 0 when none is
}

// check vets a header before its payload is read.
func (f *frameReader) check(client *hub.Client, h ws.Header) verdict {
	if !h.Masked || h.Rsv != 0 {
		client.Kick(uint16(ws.StatusProtocolError), "client frames must be masked and use no extensions")
		return discard
	}
	if h.Length > f.max || (!h.OpCode.IsControl() && int64(len(f.message))+h.Length > f.max) {
		client.Kick(hub.CloseTooBig, "message too big")
		return discard
	}
	return more
}

// frame handles one frame whose payload is complete and unmasked. The
// payload is not kept.
func (f *frameReader) frame(client *hub.Client, h ws.Header, payload []byte) verdict {
	switch h.OpCode {
	case ws.OpPing:
		client.Send(ws.MustCompileFrame(ws.NewPongFrame(payload)))
		return more
	case ws.OpPong:
		return more
	case ws.OpClose:
		code, _ := ws.ParseCloseFrameData(payload)
		if code == 0 {
			code = ws.StatusNormalClosure
		}
		client.Kick(uint16(code), "")
		return end
	case ws.OpContinuation:
		if f.op == 0 {
			client.Kick(uint16(ws.StatusProtocolError), "continuation without a message")
			return discard
		}
		f.message = append(f.message, payload...)
	case ws.OpText, ws.OpBinary:
		if f.op != 0 {
			client.Kick(uint16(ws.StatusProtocolError), "new message inside a fragmented one")
			return discard
		}
		if !h.Fin {
			f.op = h.OpCode
			f.message = append(f.message[:0], payload...)
			return more
		}
		deliver(client, h.OpCode, payload)
		return more
	default:
		client.Kick(uint16(ws.StatusProtocolError), "unknown opcode")
		return discard
	}
	if !h.Fin {
		return more
	}
	op := f.op
	f.op = 0
	deliver(client, op, f.message)
	f.message = nil // kept only while a message is fragmented
	return more
}

// deliver hands a complete message to the client, unless it was kicked:
// then only the end of the input matters.
func deliver(client *hub.Client, op ws.OpCode, message []byte) {
	if client.Closing() {
		return
	}
	if op == ws.OpBinary {
		client.HandleBinary()
	} else {
		client.Handle(message)
	}
}

// parseHeader decodes the frame header at the start of b as ws.ReadHeader
// does. n is the header's length, 0 when b does not hold all of it yet.
func parseHeader(b []byte) (h ws.Header, n int, err error) {
	if len(b) < 2 {
		return h, 0, nil
	}
	h.Fin = b[0]&0x80 != 0
	h.Rsv = (b[0] & 0x70) >> 4
	h.OpCode = ws.OpCode(b[0] & 0x0f)
	h.Masked = b[1]&0x80 != 0
	n = 2
	switch length := b[1] & 0x7f; length {
	case 126:
		n += 2
	case 127:
		n += 8
	default:
		h.Length = int64(length)
	}
	if h.Masked {
		n += 4
	}
	if len(b) < n {
		return h, 0, nil
	}
	switch b[1] & 0x7f {
	case 126:
		h.Length = int64(binary.BigEndian.Uint16(b[2:]))
	case 127:
		if b[2]&0x80 != 0 {
			return h, 0, ws.ErrHeaderLengthMSB
		}
		h.Length = int64(binary.BigEndian.Uint64(b[2:]))
	}
	if h.Masked {
		copy(h.Mask[:], b[n-4:n])
	}
	return h, n, nil
}
