package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Paths shared by every test, set once by TestMain.
var (
	repoRoot   string // the repository checkout
	caddyBin   string // ./cmd/caddy built for this run
	binDir     string // where TestMain builds binaries
	jsonServer string // json-server 0.17's CLI (not .bin/json-server: json-server-1 installs the same bin name)
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoRoot, err = filepath.Abs(".."); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	jsonServer = filepath.Join(repoRoot, "node_modules", "json-server", "lib", "cli", "bin.js")
	if binDir, err = os.MkdirTemp("", "cms-realtime-e2e-bin-"); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(binDir)
	caddyBin = filepath.Join(binDir, "caddy")
	if err := goBuild(caddyBin, "./cmd/caddy"); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}

// goBuild compiles the main package pkg of this repository into out, with
// the race detector when the tests run with it.
func goBuild(out, pkg string) error {
	args := []string{"build", "-o", out}
	if raceBuild {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = repoRoot
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// requireNodeModules fails the test when the npm packages are missing: the
// e2e tests depend on them and must never pass by skipping.
func requireNodeModules(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(jsonServer); err != nil {
		t.Fatalf("json-server is not installed (%v): run `npm ci` at the repository root", err)
	}
}
