package capture

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Recorder is an http.ResponseWriter that writes through to the client and
// keeps a copy of the body, up to a limit, when the response has a JSON
// content type and a status worth reading (2xx unless the caller says
// otherwise). Use Unwrap-aware helpers (http.ResponseController) to reach
// the underlying writer's optional interfaces.
type Recorder struct {
	rw          http.ResponseWriter
	limit       int
	reads       func(status int) bool
	status      int
	wroteHeader bool
	keep        bool
	truncated   bool
	buf         *bytes.Buffer
}

// NewRecorder wraps rw, keeping at most limit body bytes of responses whose
// status reads accepts (nil: any 2xx).
func NewRecorder(rw http.ResponseWriter, limit int, reads func(status int) bool) *Recorder {
	if reads == nil {
		reads = func(status int) bool { return status >= 200 && status < 300 }
	}
	return &Recorder{rw: rw, limit: limit, reads: reads}
}

// Header returns the underlying writer's header map.
func (r *Recorder) Header() http.Header { return r.rw.Header() }

// WriteHeader records the status, decides whether the body is worth a copy,
// and passes the header on unchanged.
func (r *Recorder) WriteHeader(code int) {
	if r.wroteHeader {
		r.rw.WriteHeader(code)
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		r.rw.WriteHeader(code) // informational; the real status follows
		return
	}
	r.wroteHeader = true
	r.status = code
	h := r.rw.Header()
	r.keep = r.reads(code) && isJSON(h.Get("Content-Type"))
	if r.keep {
		if cl, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && cl > int64(r.limit) {
			r.keep, r.truncated = false, true
		}
	}
	r.rw.WriteHeader(code)
}

// Write sends p to the client, then copies what was sent.
func (r *Recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	n, err := r.rw.Write(p)
	if r.keep && n > 0 {
		r.copy(p[:n])
	}
	return n, err
}

func (r *Recorder) copy(p []byte) {
	if r.buf == nil {
		r.buf = bufPool.Get().(*bytes.Buffer)
		r.buf.Reset()
	}
	if r.buf.Len()+len(p) > r.limit {
		r.keep, r.truncated = false, true
		r.release()
		return
	}
	r.buf.Write(p)
}

// FlushError flushes the underlying writer, as http.ResponseController
// expects.
func (r *Recorder) FlushError() error {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	return http.NewResponseController(r.rw).Flush()
}

// Flush implements http.Flusher.
func (r *Recorder) Flush() { _ = r.FlushError() }

// Unwrap returns the wrapped writer for http.ResponseController.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.rw }

// Status is the response status; 0 when nothing was written.
func (r *Recorder) Status() int {
	if !r.wroteHeader {
		return 0
	}
	return r.status
}

// Body is the kept copy (nil when none was kept). It is valid until Release.
func (r *Recorder) Body() []byte {
	if r.buf == nil {
		return nil
	}
	return r.buf.Bytes()
}

// Truncated reports that the body was JSON but over the limit, so no copy
// was kept.
func (r *Recorder) Truncated() bool { return r.truncated }

// Release returns the copy's buffer to the pool.
func (r *Recorder) Release() { r.release() }

func (r *Recorder) release() {
	if r.buf != nil {
		if r.buf.Cap() <= 1<<20 {
			bufPool.Put(r.buf)
		}
		r.buf = nil
	}
}

// isJSON reports whether a Content-Type names JSON (application/json or any
// +json type).
func isJSON(ct string) bool {
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
