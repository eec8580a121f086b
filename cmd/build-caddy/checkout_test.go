package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadGoMod(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), `// a comment
module "example.com/me/plugin" // quoted is legal

go 1.26

require github.com/single/line v1.0.0

require (
	github.com/caddyserver/caddy/v2 v2.11.9
	github.com/other/dep v0.3.0 // indirect
)

replace github.com/single/line => ../line
`)
	mod, err := readGoMod(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if mod.module != "example.com/me/plugin" {
		t.Errorf("module = %q", mod.module)
	}
	for path, want := range map[string]string{
		"github.com/single/line":          "v1.0.0",
		"github.com/caddyserver/caddy/v2": "v2.11.9",
		"github.com/other/dep":            "v0.3.0",
	} {
		if got := mod.requires[path]; got != want {
			t.Errorf("requires[%s] = %q, want %q", path, got, want)
		}
	}
	if len(mod.requires) != 3 {
		t.Errorf("requires = %v, want 3 entries", mod.requires)
	}
}

func TestReadGoModWithoutModule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "go.mod")
	writeFile(t, path, "go 1.26\n")
	if _, err := readGoMod(path); err == nil {
		t.Fatal("accepted a go.mod without module directive")
	}
}

func TestFindRepoRoot(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), "module example.com/m\n")
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, deep} {
		got, err := findRepoRoot(dir)
		if err != nil || got != root {
			t.Errorf("findRepoRoot(%s) = %q, %v; want %q", dir, got, err, root)
		}
	}
	if _, err := findRepoRoot("/"); !errors.Is(err, errNoGoMod) {
		t.Errorf("findRepoRoot(/) error = %v, want errNoGoMod", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
