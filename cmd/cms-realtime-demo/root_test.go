package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindRepoRoot(t *testing.T) {
	want, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := findRepoRoot("") // from cmd/cms-realtime-demo, two levels down
	if err != nil || got != want {
		t.Fatalf("findRepoRoot(\"\") = %q, %v; want %q", got, err, want)
	}
	if got, err := findRepoRoot(want); err != nil || got != want {
		t.Errorf("findRepoRoot(%q) = %q, %v", want, got, err)
	}
	if _, err := findRepoRoot(t.TempDir()); err == nil {
		t.Error("findRepoRoot accepted a directory without examples/demo")
	}
}

func TestFindRepoRootOutsideCheckout(t *testing.T) {
	t.Chdir(t.TempDir())
	if got, err := findRepoRoot(""); err == nil {
		t.Fatalf("findRepoRoot found %q outside any checkout", got)
	}
}

func TestDemoFilesExist(t *testing.T) {
	root, err := findRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Caddyfile", "db.json", "site/index.html", "site/app.js", "site/style.css"} {
		if _, err := os.Stat(demoPath(root, name)); err != nil {
			t.Error(err)
		}
	}
}
