package hub

import "encoding/binary"

// textFrame wraps payload in an unmasked, final WebSocket text frame header
// (RFC 6455 §5.2), the form a server sends. The result is immutable and may
// be shared between any number of sockets.
func textFrame(payload []byte) []byte {
	n := len(payload)
	var hdr [10]byte
	hdr[0] = 0x80 | 0x1 // FIN, text
	h := 2
	switch {
	case n < 126:
		hdr[1] = byte(n)
	case n <= 0xffff:
		hdr[1] = 126
		binary.BigEndian.PutUint16(hdr[2:], uint16(n))
		h = 4
	default:
		hdr[1] = 127
		binary.BigEndian.PutUint64(hdr[2:], uint64(n))
		h = 10
	}
	f := make([]byte, h+n)
	copy(f, hdr[:h])
	copy(f[h:], payload)
	return f
}
