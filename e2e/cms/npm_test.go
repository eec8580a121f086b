package cms

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// npmInstall installs pkgs (name@version each) from the npm registry into the
// directory name of the cache, unless a previous run did, and returns the directory.
func npmInstall(t *testing.T, name string, pkgs ...string) string {
	t.Helper()
	dir := filepath.Join(cacheDir(t), name)
	if _, err := os.Stat(filepath.Join(dir, "installed")); err == nil {
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command("npm", append([]string{"install", "--no-audit", "--no-fund", "--save-exact"}, pkgs...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install %v: %v\n%s", pkgs, err, out)
	}
	t.Logf("installed %v in %v", pkgs, time.Since(start).Round(time.Second))
	// Written last: an interrupted install is redone.
	if err := os.WriteFile(filepath.Join(dir, "installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
