package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBuildProducesTheDistribution runs the real xcaddy build of this
// checkout (a few minutes) and checks the binary is the pinned Caddy with the
// cms_realtime handler in it.
func TestBuildProducesTheDistribution(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findRepoRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := loadDistribution(filepath.Join(root, "xcaddy.toml"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "caddy")
	var log bytes.Buffer
	if err := run(t.Context(), dir, []string{"-o", bin}, &log, &log); err != nil {
		t.Fatalf("build: %v\n%s", err, log.String())
	}

	version := caddyOutput(t, bin, "version")
	if !strings.HasPrefix(version, d.CaddyVersion+" ") {
		t.Errorf("caddy version = %q, want it to start with %s", version, d.CaddyVersion)
	}
	modules := strings.Fields(caddyOutput(t, bin, "list-modules"))
	for _, want := range []string{"http.handlers.cms_realtime", "http.handlers.reverse_proxy"} {
		if !slices.Contains(modules, want) {
			t.Errorf("caddy list-modules lacks %s", want)
		}
	}
}

func caddyOutput(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), bin, args...).Output()
	if err != nil {
		t.Fatalf("caddy %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}
