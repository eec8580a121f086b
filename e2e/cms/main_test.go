package cms

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Paths shared by every test, set once by TestMain.
var (
	repoRoot string // the repository checkout
	caddyBin string // ./cmd/caddy built for this run
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoRoot, err = filepath.Abs(filepath.Join("..", "..")); err != nil {
		fmt.Fprintln(os.Stderr, "e2e/cms:", err)
		return 1
	}
	binDir, err := os.MkdirTemp("", "cms-realtime-e2e-cms-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e/cms:", err)
		return 1
	}
	defer os.RemoveAll(binDir)
	caddyBin = filepath.Join(binDir, "caddy")
	build := exec.Command("go", "build", "-o", caddyBin, "./cmd/caddy")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e/cms: go build ./cmd/caddy:", err)
		return 1
	}
	return m.Run()
}

// cacheDir is where npm packages installed for the tests are kept between runs.
func cacheDir(t *testing.T) string {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("no cache directory for the CMS install: %v", err)
	}
	return filepath.Join(dir, "caddy-cms-realtime")
}
