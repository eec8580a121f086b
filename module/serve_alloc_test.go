//go:build !race

// The race detector's instrumentation allocates on its own, so allocation
// counts are only meaningful without it.

package module

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/capture"
)

// TestServeHTTPAllocationsForRequestsItDoesNotInspect is the promise that
// the handler costs nothing but a few comparisons on the requests it passes
// by: none of them allocates, whatever headers a POST carries.
func TestServeHTTPAllocationsForRequestsItDoesNotInspect(t *testing.T) {
	h := testHandler(t, stalledObserver(1, 0))
	next := handlerFunc(func(w http.ResponseWriter, _ *http.Request) error {
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	for _, method := range []string{http.MethodHead, http.MethodOptions, "PROPFIND"} {
		r := httptest.NewRequest(method, "/wp-json/wp/v2/posts/1?context=edit", nil)
		r.Header.Set("X-HTTP-Method-Override", "DELETE") // only a POST tunnels
		w := &streamWriter{header: http.Header{}}
		if allocs := testing.AllocsPerRun(200, func() { _ = h.ServeHTTP(w, r, next) }); allocs != 0 {
			t.Errorf("%s through the handler: %v allocations, want 0", method, allocs)
		}
	}
}

// BenchmarkServeHTTP measures what the handler adds on the request's
// goroutine, before inference: a request it passes by, a read (its body
// kept to warm the cache) and a write (kept and queued for inference, which
// a goroutine of the benchmark takes off the queue). The stub CMS and the
// writer allocate nothing of their own.
func BenchmarkServeHTTP(b *testing.B) {
	o := stalledObserver(1024, 0)
	go func() {
		for obs := range o.queue {
			obs.rec.Release()
		}
	}()
	b.Cleanup(func() { close(o.queue) })
	h := testHandler(b, o)
	body := []byte(`{"id":"1","_type":"post","title":"Hello"}`)
	jsonType, length := []string{"application/json"}, []string{"41"}
	cms := func(status int) handlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) error {
			w.Header()["Content-Type"] = jsonType
			w.Header()["Content-Length"] = length
			w.WriteHeader(status)
			_, err := w.Write(body)
			return err
		}
	}
	for _, method := range []string{http.MethodHead, http.MethodGet, http.MethodPost} {
		b.Run(method, func(b *testing.B) {
			r := httptest.NewRequest(method, "/posts/1", nil)
			next := cms(http.StatusOK)
			if method == http.MethodPost {
				next = cms(http.StatusCreated)
			}
			w := &hijackable{streamWriter{header: http.Header{}}}
			b.ReportAllocs()
			for b.Loop() {
				_ = h.ServeHTTP(w, r, next)
			}
		})
	}
}

// BenchmarkObserve measures what inference costs per response, off the
// request's goroutine: a read warms the document cache, a write is inferred
// and published (to a hub without sockets).
func BenchmarkObserve(b *testing.B) {
	o := stalledObserver(1, 0)
	h := testHandler(b, o)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		b.Run(method, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				w := &hijackable{streamWriter{header: http.Header{}}}
				rec := capture.NewRecorder(w, DefaultMaxBody, h.engine.Reads)
				rec.Header().Set("Content-Type", "application/json")
				rec.WriteHeader(http.StatusOK)
				fmt.Fprintf(rec, `{"id":"%d","_type":"post","title":"A post","status":"published","body":"Lorem ipsum dolor sit amet, consectetur adipiscing elit."}`, i%1000)
				o.handle(observation{dataset: "d", engine: h.engine, method: method, path: "/posts/" + strconv.Itoa(i%1000),
					ctype: "application/json", maxBody: DefaultMaxBody, rec: rec, seen: time.Now()})
			}
		})
	}
}
