package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// demoPath is the path of name inside the checkout's examples/demo.
func demoPath(root, name string) string {
	return filepath.Join(root, "examples", "demo", name)
}

// findRepoRoot returns dir if it holds the demo, or else the nearest
// directory at or above the working directory that does.
func findRepoRoot(dir string) (string, error) {
	if dir != "" {
		if !hasDemo(dir) {
			return "", fmt.Errorf("%s has no examples/demo/Caddyfile", dir)
		}
		return filepath.Abs(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if hasDemo(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("run the demo inside a caddy-cms-realtime checkout (no examples/demo/Caddyfile here or above), or pass -dir")
		}
	}
}

func hasDemo(dir string) bool {
	_, err := os.Stat(demoPath(dir, "Caddyfile"))
	return err == nil
}
