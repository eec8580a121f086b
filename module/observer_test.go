package module

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/capture"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/infer"
)

// stalledObserver is an observer whose inference does not run: the test
// takes observations off its queue of size slots itself.
func stalledObserver(slots int, wait time.Duration) *observer {
	return &observer{
		hub:     hub.New(hub.Config{}),
		logger:  zap.NewNop(),
		queue:   make(chan observation, slots),
		parked:  make(chan struct{}, 2),
		waitFor: wait,
	}
}

// testHandler is a provisioned-enough handler in front of o.
func testHandler(t testing.TB, o *observer) *Handler {
	t.Helper()
	cache, err := doccache.New(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cache.Close)
	engine, err := infer.New(infer.Config{Preset: "generic"}, cache)
	if err != nil {
		t.Fatal(err)
	}
	return &Handler{
		Path: DefaultPath, Dataset: DefaultDataset, MaxBody: DefaultMaxBody,
		logger: zap.NewNop(), engine: engine, reads: engine.Reads,
		shared: &shared{hub: o.hub, cache: cache, observer: o},
	}
}

// created answers like a CMS's create: 201 with the document.
func created(w http.ResponseWriter, _ *http.Request) error {
	body := `{"id":"1","_type":"post","title":"Hello"}`
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "41")
	w.WriteHeader(http.StatusCreated)
	_, err := io.WriteString(w, body)
	return err
}

// serve runs h in front of next on a real HTTP/1.1 server; handled gets a
// value each time h.ServeHTTP returns.
func serve(t *testing.T, h *Handler, next func(http.ResponseWriter, *http.Request) error) (url string, handled chan struct{}) {
	t.Helper()
	handled = make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { handled <- struct{}{} }()
		if err := h.ServeHTTP(w, r, handlerFunc(next)); err != nil {
			t.Error(err)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, handled
}

type handlerFunc func(http.ResponseWriter, *http.Request) error

func (f handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) error { return f(w, r) }

func post(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Post(url+"/posts", "application/json", strings.NewReader(`{"title":"Hello"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status + " " + string(b)
}

// TestFullQueueHoldsTheNextRequestNotTheResponse fills the observer's
// queue, then writes: the client gets the whole response at once, while the
// handler waits for a slot; the write is inferred, not dropped, once one
// frees.
func TestFullQueueHoldsTheNextRequestNotTheResponse(t *testing.T) {
	o := stalledObserver(1, 10*time.Second)
	h := testHandler(t, o)
	url, handled := serve(t, h, created)
	post(t, url)
	<-handled // the queue's one slot is taken

	got := make(chan string, 1)
	go func() { got <- post(t, url) }()
	select {
	case resp := <-got:
		if resp != `201 Created {"id":"1","_type":"post","title":"Hello"}` {
			t.Fatalf("response %q", resp)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the response waited for the observer")
	}
	select {
	case <-handled:
		t.Fatal("the handler returned with the queue full: the write was dropped")
	case <-time.After(100 * time.Millisecond):
	}
	<-o.queue // a slot frees
	select {
	case <-handled:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler still waits with a free slot")
	}
	if obs := <-o.queue; obs.method != http.MethodPost || obs.rec.Status() != http.StatusCreated {
		t.Fatalf("queued %s with status %d", obs.method, obs.rec.Status())
	}
	if n := o.dropped.Load(); n != 0 {
		t.Fatalf("%d dropped", n)
	}
}

// TestFullQueueDropsAfterTheWait bounds the wait: a write that finds no
// slot in time is dropped and the handler returns.
func TestFullQueueDropsAfterTheWait(t *testing.T) {
	o := stalledObserver(1, 50*time.Millisecond)
	h := testHandler(t, o)
	url, handled := serve(t, h, created)
	post(t, url)
	<-handled
	start := time.Now()
	post(t, url)
	<-handled
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("the second write's handler took %v, want about the 50ms wait", waited)
	}
	if n := o.dropped.Load(); n != 1 {
		t.Fatalf("%d dropped, want 1", n)
	}
}

// streamWriter is a response writer that cannot be hijacked, as an HTTP/2
// stream's: its response ends only when the handler returns.
type streamWriter struct{ header http.Header }

func (w *streamWriter) Header() http.Header         { return w.header }
func (w *streamWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *streamWriter) WriteHeader(int)             {}

// TestFullQueueOnAStreamWaitsInAGoroutine checks that a response which ends
// only when the handler returns is not held: the handler returns at once and
// the write takes the next free slot.
func TestFullQueueOnAStreamWaitsInAGoroutine(t *testing.T) {
	o := stalledObserver(1, 10*time.Second)
	h := testHandler(t, o)
	r := httptest.NewRequest(http.MethodPost, "/posts", nil)
	for i := range 2 {
		done := make(chan error, 1)
		go func() { done <- h.ServeHTTP(&streamWriter{header: http.Header{}}, r, handlerFunc(created)) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("write %d: the handler waited for the observer", i)
		}
	}
	for range 2 {
		select {
		case obs := <-o.queue:
			obs.rec.Release()
		case <-time.After(5 * time.Second):
			t.Fatal("the parked write never reached the queue")
		}
	}
	o.waiters.Wait()
	if n := o.dropped.Load(); n != 0 {
		t.Fatalf("%d dropped", n)
	}
}

// hijackable is an HTTP/1.x response writer as the observer sees one.
type hijackable struct{ streamWriter }

func (*hijackable) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("not in this test")
}

func TestCompleteOnceFlushed(t *testing.T) {
	cases := []struct {
		name   string
		w      http.ResponseWriter
		status int
		length string
		want   bool
	}{
		{"HTTP/1.x with a length", &hijackable{streamWriter{http.Header{}}}, 201, "41", true},
		{"HTTP/1.x, no content", &hijackable{streamWriter{http.Header{}}}, 204, "", true},
		{"HTTP/1.x, chunked", &hijackable{streamWriter{http.Header{}}}, 200, "", false},
		{"a stream with a length", &streamWriter{http.Header{}}, 201, "41", false},
	}
	for _, tc := range cases {
		rec := capture.NewRecorder(tc.w, 1<<10, nil)
		if tc.length != "" {
			rec.Header().Set("Content-Length", tc.length)
		}
		rec.WriteHeader(tc.status)
		if got := completeOnceFlushed(rec); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestStopWaitsForParkedWrites checks that stopping the observer infers the
// writes still waiting for a slot instead of losing them or panicking.
func TestStopWaitsForParkedWrites(t *testing.T) {
	o := stalledObserver(1, 10*time.Second)
	h := testHandler(t, o)
	r := httptest.NewRequest(http.MethodPost, "/posts", nil)
	for range 2 {
		if err := h.ServeHTTP(&streamWriter{header: http.Header{}}, r, handlerFunc(created)); err != nil {
			t.Fatal(err)
		}
	}
	var inferred atomic.Int64
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		for obs := range o.queue {
			inferred.Add(1)
			obs.rec.Release()
		}
	}()
	o.stop()
	if n := inferred.Load(); n != 2 {
		t.Fatalf("%d of 2 writes inferred before stop returned", n)
	}
}

// TestWritesDuringStop checks that writes still being served while the
// observer stops (Caddy stopping with requests in flight) neither race
// with the closing of the queue nor panic on it.
func TestWritesDuringStop(t *testing.T) {
	o := newObserver(hub.New(hub.Config{}), zap.NewNop())
	h := testHandler(t, o)
	start := make(chan struct{})
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			for range 200 {
				r := httptest.NewRequest(http.MethodPost, "/posts", nil)
				if err := h.ServeHTTP(&streamWriter{header: http.Header{}}, r, handlerFunc(created)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	close(start)
	time.Sleep(time.Millisecond)
	o.stop()
	for range 8 {
		<-done
	}
	o.stop() // a second stop (a later Destruct) is harmless
}
