package main

import (
	"fmt"
	"log"
	"net"
	"os"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"

	// Caddy's standard modules (file_server, reverse_proxy, ...), as in its own main.
	_ "github.com/caddyserver/caddy/v2/modules/standard"

	// The cms_realtime handler and its Caddyfile directive.
	_ "github.com/caddy-cms-realtime/caddy-cms-realtime/caddyfile"
)

// siteParams fill the {$DEMO_*} placeholders of examples/demo/Caddyfile.
type siteParams struct {
	Listen        string // DEMO_LISTEN: the site's address, such as :8080
	SiteRoot      string // DEMO_SITE_ROOT: the page's directory
	CMSUpstream   string // DEMO_CMS_UPSTREAM: json-server's host:port
	TokenUpstream string // DEMO_TOKEN_UPSTREAM: the token issuer's host:port
	JWTSecret     string // DEMO_JWT_SECRET
}

func (p siteParams) env() map[string]string {
	return map[string]string{
		"DEMO_LISTEN":         p.Listen,
		"DEMO_SITE_ROOT":      p.SiteRoot,
		"DEMO_CMS_UPSTREAM":   p.CMSUpstream,
		"DEMO_TOKEN_UPSTREAM": p.TokenUpstream,
		"DEMO_JWT_SECRET":     p.JWTSecret,
	}
}

// startCaddy runs the Caddyfile at path, filled in with p, in this process.
func startCaddy(path string, p siteParams) error {
	cfg, err := adaptCaddyfile(path, p)
	if err != nil {
		return err
	}
	if err := caddy.Load(cfg, true); err != nil {
		return fmt.Errorf("start Caddy: %w", err)
	}
	return nil
}

// adaptCaddyfile turns the Caddyfile at path into Caddy's JSON config. The
// Caddyfile reads its {$DEMO_*} placeholders from the environment, so that
// the same file also works with `caddy run` and exported variables.
func adaptCaddyfile(path string, p siteParams) ([]byte, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for k, v := range p.env() {
		if err := os.Setenv(k, v); err != nil {
			return nil, err
		}
	}
	adapter := caddyfile.Adapter{ServerType: httpcaddyfile.ServerType{}}
	cfg, warnings, err := adapter.Adapt(body, map[string]any{"filename": path})
	if err != nil {
		return nil, fmt.Errorf("adapt %s: %w", path, err)
	}
	for _, w := range warnings {
		log.Printf("%s", w)
	}
	return cfg, nil
}

func stopCaddy() {
	if err := caddy.Stop(); err != nil {
		log.Printf("stop Caddy: %v", err)
	}
}

// siteURL is the URL to open for a site listening on listen.
func siteURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen + "/"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
