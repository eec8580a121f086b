package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCheckout writes a go.mod and an xcaddy.toml into a temp directory.
func fakeCheckout(t *testing.T, goMod, xcaddyTOML string) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), goMod)
	writeFile(t, filepath.Join(root, "xcaddy.toml"), xcaddyTOML)
	writeFile(t, filepath.Join(root, "plugin.go"), "package plugin\n")
	return root
}

const (
	fakeGoMod  = "module example.com/m\n\ngo 1.26\n\nrequire github.com/caddyserver/caddy/v2 v2.11.9\n"
	fakeConfig = "caddy_version = \"v2.11.9\"\n[module]\npath = \"example.com/m\"\n[[plugins]]\nmodule = \"example.com/p\"\nversion = \"v1.0.0\"\n"
)

func TestRunPrint(t *testing.T) {
	root := fakeCheckout(t, fakeGoMod, fakeConfig)
	sub := filepath.Join(root, "cmd")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir  string
		args []string
		want string
	}{
		{root, []string{"-print"}, "xcaddy build v2.11.9 --with example.com/m=. --with example.com/p@v1.0.0\n"},
		{sub, []string{"-print"}, "xcaddy build v2.11.9 --with example.com/m=.. --with example.com/p@v1.0.0\n"},
		{root, []string{"-print", "-o", "out/caddy"}, "xcaddy build v2.11.9 --with example.com/m=. --with example.com/p@v1.0.0 --output out/caddy\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if err := run(t.Context(), tt.dir, tt.args, &stdout, &stderr); err != nil {
			t.Fatalf("run %v in %s: %v (stderr: %s)", tt.args, tt.dir, err, stderr.String())
		}
		if stdout.String() != tt.want {
			t.Errorf("run %v in %s printed\n%s\nwant\n%s", tt.args, tt.dir, stdout.String(), tt.want)
		}
	}
}

func TestRunRejects(t *testing.T) {
	tests := []struct {
		name   string
		goMod  string
		config string
		args   []string
		want   string
	}{
		{"other caddy version", fakeGoMod, strings.Replace(fakeConfig, "v2.11.9", "v2.10.0", 1), []string{"-print"}, "keep them equal"},
		{"other module", strings.Replace(fakeGoMod, "example.com/m", "example.com/other", 1), fakeConfig, []string{"-print"}, "go.mod declares example.com/other"},
		{"bad config", fakeGoMod, "caddy_version = \"v2.11.9\"\n", []string{"-print"}, "xcaddy.toml: module.path is required"},
		{"extra argument", fakeGoMod, fakeConfig, []string{"-print", "now"}, "unexpected arguments: now"},
		{"unknown flag", fakeGoMod, fakeConfig, []string{"-x"}, "not defined"},
	}
	t.Run("no root package", func(t *testing.T) {
		root := fakeCheckout(t, fakeGoMod, fakeConfig)
		if err := os.Rename(filepath.Join(root, "plugin.go"), filepath.Join(root, "plugin_test.go")); err != nil {
			t.Fatal(err)
		}
		err := run(t.Context(), root, []string{"-o", filepath.Join(root, "caddy")}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no Go package at its root") {
			t.Errorf("error = %v, want a missing root package", err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := fakeCheckout(t, tt.goMod, tt.config)
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), root, tt.args, &stdout, &stderr)
			if err == nil {
				t.Fatalf("run succeeded, printed %q", stdout.String())
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("printed %q on error", stdout.String())
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), t.TempDir(), []string{"-h"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"usage: go run ./cmd/build-caddy", "-print", "-o PATH"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage %q lacks %q", stderr.String(), want)
		}
	}
}

// TestRepositoryPins checks the real xcaddy.toml against the real go.mod.
func TestRepositoryPins(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), dir, []string{"-print"}, &stdout, &stderr); err != nil {
		t.Fatalf("run -print: %v", err)
	}
	if !strings.HasPrefix(stdout.String(), "xcaddy build v2.11.9 --with github.com/caddy-cms-realtime/caddy-cms-realtime") {
		t.Errorf("printed %q", stdout.String())
	}
}
