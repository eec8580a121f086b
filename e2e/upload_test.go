package e2e

import (
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestUploadIsStreamedNotBuffered sends a 200 MiB multipart upload through
// the sidecar to an upstream that reads it to the end, and checks that
// Caddy's peak resident memory grew by less than 10 MiB: request bodies are
// never buffered, and the 201 JSON answer is inspected as usual.
func TestUploadIsStreamedNotBuffered(t *testing.T) {
	const size = 200 << 20
	received := make(chan int64, 1)
	upstream := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/e2e-readiness-probe" { // what startCaddy waits for
			w.Header().Set("X-Powered-By", "Express")
			w.WriteHeader(http.StatusNotFound)
			return
		}
		n, _ := io.Copy(io.Discard, r.Body)
		received <- n
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":"upload-1","_type":"media","bytes":%d}`, n)
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go upstream.Serve(l)
	t.Cleanup(func() { upstream.Close() })

	cfg := siteConfig{
		Secret:   newSecret(t),
		Upstream: l.Addr().String(),
	}
	e := &env{t: t, caddy: startCaddy(t, cfg)}
	media, _ := e.connect("/ws", "alice", "Alice")
	media.subscribe(`*[_type == "media"]`, nil)
	before := peakRSS(t, e.caddy.proc.Pid())

	body, w := io.Pipe()
	mw := multipart.NewWriter(w)
	go func() {
		part, err := mw.CreateFormFile("file", "big.bin")
		if err == nil {
			_, err = io.CopyN(part, rand.Reader, size)
		}
		if err == nil {
			err = mw.Close()
		}
		w.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, e.caddy.baseURL()+"/media", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("upload through the sidecar: %v", err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload answered %s: %s", resp.Status, answer)
	}
	if n := <-received; n < size {
		t.Fatalf("upstream received %d bytes, want more than %d", n, size)
	}
	media.expectMutation("upload-1", "media", "create")

	after := peakRSS(t, e.caddy.proc.Pid())
	growth := after - before
	t.Logf("Caddy peak RSS %d KiB before, %d KiB after a %d MiB upload: +%d KiB", before, after, size>>20, growth)
	if growth >= 10<<10 {
		t.Errorf("a %d MiB upload grew Caddy's peak RSS by %d KiB, want under 10 MiB", size>>20, growth)
	}
}

// peakRSS is a process's peak resident set size (VmHWM), in KiB.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}
