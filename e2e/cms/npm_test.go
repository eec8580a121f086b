package cms

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// npmInstall installs pkg@version from the npm registry into its own directory of the
// cache, unless a previous run did, and returns the path of the package's bin.
func npmInstall(t *testing.T, pkg, version, bin string) string {
	t.Helper()
	dir := filepath.Join(cacheDir(t), pkg+"-"+version)
	path := filepath.Join(dir, "node_modules", ".bin", bin)
	if _, err := os.Stat(filepath.Join(dir, "installed")); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--save-exact", pkg+"@"+version)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install %s@%s: %v\n%s", pkg, version, err, out)
	}
	t.Logf("installed %s@%s in %v", pkg, version, time.Since(start).Round(time.Second))
	// Written last: an interrupted install is redone.
	if err := os.WriteFile(filepath.Join(dir, "installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
