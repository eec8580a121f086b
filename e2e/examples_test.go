package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestExampleCaddyfiles checks that every examples/*/Caddyfile is valid for
// the binary under test and formatted as `caddy fmt` formats it.
func TestExampleCaddyfiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "*", "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d example Caddyfiles, want json-server, strapi and demo: %v", len(files), files)
	}
	secret := newSecret(t)
	env := append(os.Environ(),
		"JWT_SECRET="+secret,
		"DEMO_LISTEN=127.0.0.1:0",
		"DEMO_SITE_ROOT="+filepath.Join(repoRoot, "examples", "demo", "site"),
		"DEMO_CMS_UPSTREAM=127.0.0.1:3000",
		"DEMO_TOKEN_UPSTREAM=127.0.0.1:3001",
		"DEMO_JWT_SECRET="+secret,
		"HOME="+t.TempDir(),
	)
	for _, f := range files {
		rel, _ := filepath.Rel(repoRoot, f)
		validate := exec.Command(caddyBin, "validate", "--config", f, "--adapter", "caddyfile")
		validate.Env = env
		if out, err := validate.CombinedOutput(); err != nil {
			t.Errorf("caddy validate %s: %v\n%s", rel, err, out)
		}
		formatted, err := exec.Command(caddyBin, "fmt", f).Output()
		if err != nil {
			t.Errorf("caddy fmt %s: %v", rel, err)
			continue
		}
		if orig, _ := os.ReadFile(f); string(orig) != string(formatted) {
			t.Errorf("%s is not formatted; run caddy fmt --overwrite %s", rel, rel)
		}
	}
}
