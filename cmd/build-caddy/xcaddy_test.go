package main

import (
	"reflect"
	"testing"

	"github.com/caddyserver/xcaddy"
)

func TestXcaddyArgs(t *testing.T) {
	const root = "/src/repo"
	base := distribution{CaddyVersion: "v2.11.9", Module: localModule{Path: "example.com/m"}}
	withPlugins := base
	withPlugins.Plugins = []plugin{
		{Module: "github.com/caddy-dns/cloudflare", Version: "v0.2.1"},
		{Module: "github.com/me/latest"},
		{Module: "github.com/me/local", Replace: "../local"},
		{Module: "github.com/me/fork", Version: "v1.0.0", Replace: "github.com/fork/fork@v1.0.1"},
	}

	tests := []struct {
		name   string
		d      distribution
		dir    string
		output string
		want   string
	}{
		{"root", base, root, defaultOutput, "xcaddy build v2.11.9 --with example.com/m=."},
		{"from a subdirectory", base, root + "/cmd/x", defaultOutput, "xcaddy build v2.11.9 --with example.com/m=../.."},
		{"from outside", base, "/elsewhere", defaultOutput, "xcaddy build v2.11.9 --with example.com/m=../src/repo"},
		{"output", base, root, "bin/caddy", "xcaddy build v2.11.9 --with example.com/m=. --output bin/caddy"},
		{"quoted output", base, root, "my caddy", "xcaddy build v2.11.9 --with example.com/m=. --output 'my caddy'"},
		{"plugins", withPlugins, root, defaultOutput, "xcaddy build v2.11.9 --with example.com/m=." +
			" --with github.com/caddy-dns/cloudflare@v0.2.1" +
			" --with github.com/me/latest" +
			" --with github.com/me/local=../local" +
			" --with github.com/me/fork@v1.0.0=github.com/fork/fork@v1.0.1"},
		{"plugins from a subdirectory", distribution{CaddyVersion: "v2.11.9", Module: base.Module, Plugins: withPlugins.Plugins[2:3]},
			root + "/sub", defaultOutput, "xcaddy build v2.11.9 --with example.com/m=.. --with github.com/me/local=../../local"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shellJoin(tt.d.xcaddyArgs(root, tt.dir, tt.output)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestBuilder(t *testing.T) {
	d := distribution{
		CaddyVersion: "v2.11.9",
		Module:       localModule{Path: "example.com/m"},
		Plugins: []plugin{
			{Module: "github.com/caddy-dns/cloudflare", Version: "v0.2.1"},
			{Module: "github.com/me/local", Replace: "./third_party/local"},
		},
	}
	b := d.builder("/src/repo")
	if b.CaddyVersion != "v2.11.9" {
		t.Errorf("CaddyVersion = %q", b.CaddyVersion)
	}
	wantPlugins := []xcaddy.Dependency{
		{PackagePath: "example.com/m", Version: localVersion},
		{PackagePath: "github.com/caddy-dns/cloudflare", Version: "v0.2.1"},
		{PackagePath: "github.com/me/local"},
	}
	if !reflect.DeepEqual(b.Plugins, wantPlugins) {
		t.Errorf("Plugins = %+v, want %+v", b.Plugins, wantPlugins)
	}
	wantReplacements := []xcaddy.Replace{
		xcaddy.NewReplace("example.com/m", "/src/repo"),
		xcaddy.NewReplace("github.com/me/local", "/src/repo/third_party/local"),
	}
	if !reflect.DeepEqual(b.Replacements, wantReplacements) {
		t.Errorf("Replacements = %+v, want %+v", b.Replacements, wantReplacements)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain/path@v1.2.3=./x": "plain/path@v1.2.3=./x",
		"":                      "''",
		"a b":                   "'a b'",
		"it's":                  `'it'\''s'`,
		"$HOME":                 "'$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
