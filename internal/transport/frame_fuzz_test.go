package transport

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

// FuzzParseHeaderMatchesGobwas checks the poller's header parser against
// ws.ReadHeader, which the goroutine path uses: on any bytes, both decode
// the same header, or both find it incomplete or invalid.
func FuzzParseHeaderMatchesGobwas(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := parseHeader(b)
		r := bytes.NewReader(b)
		want, werr := ws.ReadHeader(r)
		switch {
		case err != nil || n == 0:
			if werr == nil {
				t.Fatalf("parseHeader: n %d, err %v; ReadHeader decoded %+v", n, err, want)
			}
		case werr != nil:
			t.Fatalf("parseHeader decoded %+v from %d bytes; ReadHeader: %v", h, n, werr)
		case h != want:
			t.Fatalf("parseHeader %+v, ReadHeader %+v", h, want)
		case n != len(b)-r.Len():
			t.Fatalf("header of %d bytes, ReadHeader read %d", n, len(b)-r.Len())
		}
	})
}
