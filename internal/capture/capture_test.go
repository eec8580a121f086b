package capture

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

func record(t *testing.T, limit int, status int, header map[string]string, chunks ...string) (*Recorder, *httptest.ResponseRecorder) {
	t.Helper()
	w := httptest.NewRecorder()
	r := NewRecorder(w, limit, nil)
	for k, v := range header {
		r.Header().Set(k, v)
	}
	r.WriteHeader(status)
	for _, c := range chunks {
		if n, err := r.Write([]byte(c)); n != len(c) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		r.Flush()
	}
	return r, w
}

func TestRecorderPassesEverythingThroughAndKeepsJSON(t *testing.T) {
	r, w := record(t, 1024, 201, map[string]string{"Content-Type": "application/json; charset=utf-8", "X-Cms": "1"}, `{"id":`, `1}`)
	if w.Code != 201 || w.Body.String() != `{"id":1}` || w.Header().Get("X-Cms") != "1" || !w.Flushed {
		t.Fatalf("client saw %d %q %v flushed=%v", w.Code, w.Body.String(), w.Header(), w.Flushed)
	}
	if r.Status() != 201 || string(r.Body()) != `{"id":1}` || r.Truncated() {
		t.Fatalf("kept %d %q truncated=%v", r.Status(), r.Body(), r.Truncated())
	}
	r.Release()
	if r.Body() != nil {
		t.Fatal("Body after Release")
	}
}

func TestRecorderKeepsNothingItDoesNotNeed(t *testing.T) {
	cases := []struct {
		name   string
		status int
		ct     string
	}{
		{"html", 200, "text/html"},
		{"no content type", 200, ""},
		{"error", 404, "application/json"},
		{"redirect", 302, "application/json"},
	}
	for _, tc := range cases {
		r, w := record(t, 1024, tc.status, map[string]string{"Content-Type": tc.ct}, `{"id":1}`)
		if w.Body.String() != `{"id":1}` || w.Code != tc.status {
			t.Errorf("%s: client saw %d %q", tc.name, w.Code, w.Body.String())
		}
		if r.Body() != nil {
			t.Errorf("%s: kept a copy", tc.name)
		}
	}
}

func TestRecorderOverLimitIsTruncatedButProxiedWhole(t *testing.T) {
	big := strings.Repeat("x", 100)
	r, w := record(t, 64, 200, map[string]string{"Content-Type": "application/json"}, big[:50], big[50:])
	if w.Body.String() != big {
		t.Fatalf("client got %d bytes, want 100", w.Body.Len())
	}
	if r.Body() != nil || !r.Truncated() {
		t.Fatalf("over the limit: kept %d bytes, truncated=%v", len(r.Body()), r.Truncated())
	}
	r2, _ := record(t, 64, 200, map[string]string{"Content-Type": "application/json", "Content-Length": "100"}, big)
	if r2.Body() != nil || !r2.Truncated() {
		t.Fatal("Content-Length over the limit was copied")
	}
}

func TestRecorderImplicitStatus(t *testing.T) {
	w := httptest.NewRecorder()
	r := NewRecorder(w, 1024, nil)
	r.Header().Set("Content-Type", "application/json")
	if _, err := r.Write([]byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if r.Status() != 200 || string(r.Body()) != `{}` {
		t.Fatalf("status %d body %q", r.Status(), r.Body())
	}
	if http.NewResponseController(r).Flush() != nil {
		t.Fatal("ResponseController could not flush through the recorder")
	}
}

func TestDecode(t *testing.T) {
	plain := []byte(`{"id":"a","title":"` + strings.Repeat("é", 200) + `"}`)
	var gz, br, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(plain)
	gw.Close()
	bw := brotli.NewWriter(&br)
	bw.Write(plain)
	bw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(plain)
	zw.Close()
	for enc, body := range map[string][]byte{"": plain, "identity": plain, "gzip": gz.Bytes(), "br": br.Bytes(), "zstd": zs.Bytes(), "GZIP": gz.Bytes()} {
		got, err := Decode(body, enc, 1<<20)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%q: %v, %d bytes", enc, err, len(got))
		}
		if _, err := Decode(body, enc, 10); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%q over the limit: %v", enc, err)
		}
	}
	for _, enc := range []string{"gzip", "br", "zstd"} {
		if _, err := Decode([]byte("not compressed"), enc, 1<<20); err == nil {
			t.Errorf("%s accepted garbage", enc)
		}
	}
	if _, err := Decode(plain, "compress", 1<<20); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestRecorderKeepsTheStatusesItIsTold(t *testing.T) {
	w := httptest.NewRecorder()
	r := NewRecorder(w, 1024, func(status int) bool { return status == 400 || status == 200 })
	r.Header().Set("Content-Type", "application/json")
	r.WriteHeader(400)
	r.Write([]byte(`{"docs":[{"id":1}],"errors":[{"id":2}]}`))
	if string(r.Body()) != `{"docs":[{"id":1}],"errors":[{"id":2}]}` || w.Code != 400 {
		t.Fatalf("a 400 the reader asked for was not kept: %q (client saw %d)", r.Body(), w.Code)
	}
}
