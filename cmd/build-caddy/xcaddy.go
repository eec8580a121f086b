package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/caddyserver/xcaddy"
)

const (
	// caddyModule is Caddy's module path, as required in go.mod.
	caddyModule = "github.com/caddyserver/caddy/v2"
	// defaultOutput is where the binary goes without -o, as with xcaddy.
	defaultOutput = "./caddy"
	// localVersion is the version the build requires of the local module.
	// With the replace directive it resolves to the checkout without asking
	// the module proxy about a module that may never have been published
	// (an unversioned `go get` would list its versions first).
	localVersion = "v0.0.0-00010101000000-000000000000"
)

// checkAgainst makes sure xcaddy.toml describes the checkout: its module is
// the one in go.mod, and it pins the Caddy version go.mod requires, so that
// the distribution is the Caddy the tests ran against.
func (d distribution) checkAgainst(mod goMod) error {
	if d.Module.Path != mod.module {
		return fmt.Errorf("xcaddy.toml names module %s but go.mod declares %s", d.Module.Path, mod.module)
	}
	if v := mod.requires[caddyModule]; v != d.CaddyVersion {
		return fmt.Errorf("xcaddy.toml pins Caddy %s but go.mod requires %s %s; keep them equal", d.CaddyVersion, caddyModule, v)
	}
	return nil
}

// builder returns the xcaddy build of the distribution, with this module
// replaced by the checkout at root.
func (d distribution) builder(root string) xcaddy.Builder {
	plugins := []xcaddy.Dependency{{PackagePath: d.Module.Path, Version: localVersion}}
	replacements := []xcaddy.Replace{xcaddy.NewReplace(d.Module.Path, root)}
	for _, p := range d.Plugins {
		dep := xcaddy.Dependency{PackagePath: p.Module, Version: p.Version}
		plugins = append(plugins, dep)
		if p.Replace != "" {
			replacements = append(replacements, xcaddy.NewReplace(dep.String(), p.replacement(root)))
		}
	}
	return xcaddy.Builder{
		Compile:      xcaddy.Compile{Cgo: os.Getenv("CGO_ENABLED") == "1"},
		CaddyVersion: d.CaddyVersion,
		Plugins:      plugins,
		Replacements: replacements,
	}
}

// xcaddyArgs returns the `xcaddy build` command line equivalent to builder,
// to be run from dir.
func (d distribution) xcaddyArgs(root, dir, output string) []string {
	args := []string{"xcaddy", "build", d.CaddyVersion}
	args = append(args, "--with", d.Module.Path+"="+relativeTo(dir, root))
	for _, p := range d.Plugins {
		with := xcaddy.Dependency{PackagePath: p.Module, Version: p.Version}.String()
		if p.Replace != "" {
			repl := p.replacement(root)
			if isLocalDir(repl) {
				repl = relativeTo(dir, repl)
			}
			with += "=" + repl
		}
		args = append(args, "--with", with)
	}
	if output != defaultOutput {
		args = append(args, "--output", output)
	}
	return args
}

// replacement is the plugin's replace target with a local directory made
// absolute; relative directories are relative to xcaddy.toml, at root.
func (p plugin) replacement(root string) string {
	if isLocalDir(p.Replace) && !filepath.IsAbs(p.Replace) {
		return filepath.Join(root, p.Replace)
	}
	return p.Replace
}

// isLocalDir tells a directory replacement from a module@version one, with
// the go.mod rule: directories start with ./, ../ or /.
func isLocalDir(s string) bool {
	return s == "." || s == ".." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || filepath.IsAbs(s)
}

// relativeTo returns target relative to dir, in the "./x" form xcaddy and go
// expect, or target itself when it cannot be made relative.
func relativeTo(dir, target string) string {
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		return target
	}
	rel = filepath.ToSlash(rel)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return rel
	}
	return "./" + rel
}

// shellJoin quotes args for a POSIX shell where needed.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
