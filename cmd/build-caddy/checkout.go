package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// errNoGoMod reports that no go.mod was found above the working directory.
var errNoGoMod = errors.New("no go.mod found in this directory or any parent; run inside the caddy-cms-realtime checkout")

// findRepoRoot walks up from dir to the first directory holding a go.mod.
func findRepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errNoGoMod
		}
		dir = parent
	}
}

// checkRootPackage makes sure the module root is a Go package: xcaddy
// imports the module path itself, so the root must hold the plugin package.
func checkRootPackage(root, module string) error {
	files, err := filepath.Glob(filepath.Join(root, "*.go"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			return nil
		}
	}
	return fmt.Errorf("%s has no Go package at its root; xcaddy imports %s itself, so the root needs a package that imports the handler and its Caddyfile directive", root, module)
}

// goMod is what build-caddy needs from a go.mod: the module path and the
// required version of each module.
type goMod struct {
	module   string
	requires map[string]string
}

// readGoMod extracts the module path and requirements from a go.mod file.
// It understands the subset of the syntax those directives use.
func readGoMod(path string) (goMod, error) {
	f, err := os.Open(path)
	if err != nil {
		return goMod{}, err
	}
	defer f.Close()
	mod := goMod{requires: map[string]string{}}
	inRequire := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0:
		case inRequire && fields[0] == ")":
			inRequire = false
		case inRequire && len(fields) == 2:
			mod.requires[unquote(fields[0])] = fields[1]
		case fields[0] == "module" && len(fields) == 2:
			mod.module = unquote(fields[1])
		case fields[0] == "require" && len(fields) == 2 && fields[1] == "(":
			inRequire = true
		case fields[0] == "require" && len(fields) == 3:
			mod.requires[unquote(fields[1])] = fields[2]
		}
	}
	if err := sc.Err(); err != nil {
		return goMod{}, err
	}
	if mod.module == "" {
		return goMod{}, fmt.Errorf("%s has no module directive", path)
	}
	return mod, nil
}

func unquote(s string) string {
	return strings.Trim(s, "\"`")
}
