package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSiteURL(t *testing.T) {
	cases := map[string]string{
		":8080":          "http://localhost:8080/",
		"0.0.0.0:8080":   "http://localhost:8080/",
		"[::]:9000":      "http://localhost:9000/",
		"127.0.0.1:9000": "http://127.0.0.1:9000/",
		"example.test:1": "http://example.test:1/",
	}
	for listen, want := range cases {
		if got := siteURL(listen); got != want {
			t.Errorf("siteURL(%q) = %q, want %q", listen, got, want)
		}
	}
}

// TestDemoCaddyfileAdapts checks that the demo's Caddyfile, filled in as the
// demo fills it, adapts to a config with the sidecar and every placeholder
// replaced.
func TestDemoCaddyfileAdapts(t *testing.T) {
	root, err := findRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	p := siteParams{
		Listen:        "127.0.0.1:18080",
		SiteRoot:      demoPath(root, "site"),
		CMSUpstream:   "127.0.0.1:18081",
		TokenUpstream: "127.0.0.1:18082",
		JWTSecret:     "0123456789abcdef0123456789abcdef-demo",
	}
	for k := range p.env() {
		t.Setenv(k, "") // restored when the test ends
	}
	cfg, err := adaptCaddyfile(demoPath(root, "Caddyfile"), p)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(cfg) {
		t.Fatalf("adapted config is not JSON: %s", cfg)
	}
	s := string(cfg)
	for _, want := range []string{`"handler":"cms_realtime"`, p.CMSUpstream, p.TokenUpstream, p.JWTSecret, `"listen":[":18080"]`} {
		if !strings.Contains(s, want) {
			t.Errorf("adapted config lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "{$DEMO_") {
		t.Errorf("adapted config keeps a placeholder:\n%s", s)
	}
}
