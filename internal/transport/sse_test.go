package transport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

func TestSSEEventCarriesResumableID(t *testing.T) {
	ev := &protocol.Event{DocumentID: "d", DocumentType: "post", Operation: "update", TS: time.Unix(0, 0), Seq: 4711, Epoch: "ab12"}
	payload := protocol.AppendMutation(nil, ev)
	for _, size := range []int{0, 200, 70000} { // the three WebSocket length encodings
		p := append(append([]byte{}, payload...), bytes.Repeat([]byte(" "), size)...)
		got := string(appendSSE(nil, framePayload(serverFrame(p))))
		want := "id: ab12:4711\ndata: " + string(p) + "\n\n"
		if got != want {
			t.Fatalf("payload of %d bytes: got %q…", len(p), got[:min(len(got), 80)])
		}
	}
	other := protocol.AppendType(nil, protocol.TypePong)
	if got := string(appendSSE(nil, other)); got != "data: "+string(other)+"\n\n" {
		t.Fatalf("non-event message: %q", got)
	}
	epoch, seq, ok := ParseEventID("ab12:4711")
	if !ok || epoch != "ab12" || seq != 4711 {
		t.Fatalf("ParseEventID = %q %d %v", epoch, seq, ok)
	}
	for _, bad := range []string{"", "4711", ":1", "e:x", "e:-1"} {
		if _, _, ok := ParseEventID(bad); ok {
			t.Errorf("ParseEventID(%q) accepted", bad)
		}
	}
}

// serverFrame builds an unmasked text frame as the hub does.
func serverFrame(p []byte) []byte {
	var hdr []byte
	switch n := len(p); {
	case n < 126:
		hdr = []byte{0x81, byte(n)}
	case n <= 0xffff:
		hdr = []byte{0x81, 126, byte(n >> 8), byte(n)}
	default:
		hdr = []byte{0x81, 127, 0, 0, 0, 0, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return append(hdr, p...)
}

func TestCloseFrameReasonIsBounded(t *testing.T) {
	f := closeFrame(4008, strings.Repeat("x", 500))
	if len(f) > 125+2 {
		t.Fatalf("close frame of %d bytes: control frames carry at most 125", len(f))
	}
	if f[0] != 0x88 || f[2] != 4008>>8 || f[3] != 4008&0xff {
		t.Fatalf("close frame header % x", f[:4])
	}
}
