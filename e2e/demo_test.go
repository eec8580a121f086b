package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/childproc/proctest"
)

const chromium = "/usr/bin/chromium"

// TestDemoSmoke runs `cms-realtime-demo` as a user would and drives its page
// in headless Chromium (e2e/testdata/demo-smoke.js). Set E2E_ARTIFACTS to a
// directory to keep the screenshots.
func TestDemoSmoke(t *testing.T) {
	requireNodeModules(t)
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("the demo smoke test needs Chromium at %s (apt-get install chromium): %v", chromium, err)
	}
	demo := filepath.Join(binDir, "cms-realtime-demo")
	if err := goBuild(demo, "./cmd/cms-realtime-demo"); err != nil {
		t.Fatal(err)
	}
	addr := proctest.FreeAddr(t)
	cmd := exec.Command(demo, "-listen", addr)
	cmd.Dir = repoRoot
	p := proctest.Start(t, "cms-realtime-demo", cmd)
	site := "http://" + addr + "/"
	proctest.WaitUntil(t, p, time.Minute, func() error {
		resp, err := http.Get(site)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "caddy-cms-realtime") {
			return fmt.Errorf("GET %s: %s", site, resp.Status)
		}
		return nil
	})
	if out := p.Output(); !strings.Contains(out, "demo running at "+site) {
		t.Errorf("the demo does not print its URL %s:\n%s", site, out)
	}

	artifacts := artifactsDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	node := exec.CommandContext(ctx, "node", filepath.Join("e2e", "testdata", "demo-smoke.js"), site, artifacts)
	node.Dir = repoRoot
	out, err := node.CombinedOutput()
	if err != nil {
		t.Fatalf("demo smoke script: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	for _, name := range []string{"demo-alice.png", "demo-bob.png"} {
		if fi, err := os.Stat(filepath.Join(artifacts, name)); err != nil || fi.Size() == 0 {
			t.Errorf("screenshot %s missing or empty: %v", name, err)
		}
	}

	// Ctrl-C stops the demo and the json-server it started.
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
		if err := p.Err(); err != nil {
			t.Errorf("demo exited with %v after Ctrl-C", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("demo still running 15s after Ctrl-C")
	}
	if err := syscall.Kill(-cmd.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("processes of the demo outlive it (kill -0 on its group: %v)", err)
	}
}

// artifactsDir is $E2E_ARTIFACTS when set, so that screenshots outlive the
// test, or else a temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots go to %s", abs)
	return abs
}
