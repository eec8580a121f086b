package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDistribution(t *testing.T) {
	text := `
caddy_version = "v2.11.9"

[module]
path = "example.com/me/plugin"

[[plugins]]
module = "github.com/caddy-dns/cloudflare"
version = "v0.2.1"

[[plugins]]
module = "github.com/me/local"
replace = "../local"
`
	got, err := parseDistribution(text)
	if err != nil {
		t.Fatal(err)
	}
	want := distribution{
		CaddyVersion: "v2.11.9",
		Module:       localModule{Path: "example.com/me/plugin"},
		Plugins: []plugin{
			{Module: "github.com/caddy-dns/cloudflare", Version: "v0.2.1"},
			{Module: "github.com/me/local", Replace: "../local"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseDistribution =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseDistributionRejects(t *testing.T) {
	const head = "caddy_version = \"v2.11.9\"\n[module]\npath = \"example.com/m\"\n"
	tests := []struct {
		name string
		text string
		want string
	}{
		{"not toml", "caddy_version = ", "expected"},
		{"no caddy version", "[module]\npath = \"example.com/m\"\n", "caddy_version"},
		{"caddy 1", "caddy_version = \"v1.0.4\"\n[module]\npath = \"example.com/m\"\n", "not a Caddy 2 version"},
		{"no module", "caddy_version = \"v2.11.9\"\n", "module.path is required"},
		{"module with replacement", "caddy_version = \"v2.11.9\"\n[module]\npath = \"example.com/m=.\"\n", "plain Go path"},
		{"module package", head + "package = \"caddyfile\"\n", "unknown keys: module.package"},
		{"typo", head + "[[plugins]]\nmodul = \"example.com/p\"\n", "unknown keys: plugins.modul"},
		{"unknown top-level key", "caddy_versoin = \"v2.11.9\"\n" + head, "unknown keys: caddy_versoin"},
		{"plugin without module", head + "[[plugins]]\nversion = \"v1.0.0\"\n", "plugins[0].module is required"},
		{"plugin with inline version", head + "[[plugins]]\nmodule = \"example.com/p@v1.0.0\"\n", "plain Go path"},
		{"plugin version with replacement", head + "[[plugins]]\nmodule = \"example.com/p\"\nversion = \"v1=../p\"\n", "bare version"},
		{"duplicate plugin", head + "[[plugins]]\nmodule = \"example.com/p\"\n[[plugins]]\nmodule = \"example.com/p\"\n", "listed twice"},
		{"plugin is the module", head + "[[plugins]]\nmodule = \"example.com/m\"\n", "listed twice"},
		{"wrong type", "caddy_version = 2\n", "caddy_version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseDistribution(tt.text)
			if err == nil {
				t.Fatalf("accepted: %+v", d)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
