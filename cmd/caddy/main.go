// Command caddy is the standard Caddy server with the cms_realtime module
// built in: `go build ./cmd/caddy` gives the same server as the xcaddy build
// that xcaddy.toml pins.
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	// The standard modules, as in Caddy's own main.
	_ "github.com/caddyserver/caddy/v2/modules/standard"

	// The cms_realtime handler and its Caddyfile directive.
	_ "github.com/caddy-cms-realtime/caddy-cms-realtime/caddyfile"
)

func main() {
	caddycmd.Main()
}
