package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// distribution is the content of xcaddy.toml.
type distribution struct {
	// CaddyVersion is the Caddy release to build, e.g. "v2.11.9".
	CaddyVersion string `toml:"caddy_version"`
	// Module is this repository's module, always built from the checkout.
	Module localModule `toml:"module"`
	// Plugins are further Caddy plugins, as for `xcaddy build --with`.
	Plugins []plugin `toml:"plugins"`
}

// localModule names this repository's Go module. Its root package is the
// Caddy plugin: importing it registers the handler and its directive.
type localModule struct {
	Path string `toml:"path"`
}

// plugin is one extra Caddy plugin.
type plugin struct {
	Module  string `toml:"module"`  // Go module or package path
	Version string `toml:"version"` // as `go get` accepts it; empty: latest
	Replace string `toml:"replace"` // local directory or module@version; optional
}

// loadDistribution reads and validates an xcaddy.toml file.
func loadDistribution(path string) (distribution, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return distribution{}, err
	}
	d, err := parseDistribution(string(data))
	if err != nil {
		return distribution{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// parseDistribution decodes and validates xcaddy.toml text. Unknown keys are
// errors, so a typo cannot silently drop a pin.
func parseDistribution(text string) (distribution, error) {
	var d distribution
	md, err := toml.Decode(text, &d)
	if err != nil {
		return distribution{}, err
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return distribution{}, fmt.Errorf("unknown keys: %s", strings.Join(keys, ", "))
	}
	return d, d.validate()
}

func (d distribution) validate() error {
	if !strings.HasPrefix(d.CaddyVersion, "v2.") {
		return fmt.Errorf("caddy_version %q is not a Caddy 2 version such as \"v2.11.9\"", d.CaddyVersion)
	}
	if err := checkPath("module.path", d.Module.Path); err != nil {
		return err
	}
	seen := map[string]bool{d.Module.Path: true}
	for i, p := range d.Plugins {
		if err := checkPath(fmt.Sprintf("plugins[%d].module", i), p.Module); err != nil {
			return err
		}
		if strings.ContainsAny(p.Version, " @=") {
			return fmt.Errorf("plugins[%d].version %q must be a bare version such as \"v1.2.3\"", i, p.Version)
		}
		if seen[p.Module] {
			return fmt.Errorf("plugins[%d]: %s is listed twice", i, p.Module)
		}
		seen[p.Module] = true
	}
	return nil
}

// checkPath rejects empty paths and paths carrying a version or replacement,
// which have their own keys.
func checkPath(key, path string) error {
	switch {
	case path == "":
		return fmt.Errorf("%s is required", key)
	case strings.ContainsAny(path, " @=\\"):
		return fmt.Errorf("%s %q must be a plain Go path (versions and replacements have their own keys)", key, path)
	}
	return nil
}
