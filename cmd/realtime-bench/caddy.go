package main

import (
	"os"

	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	// The standard modules and the project's handler, as in cmd/caddy.
	_ "github.com/caddy-cms-realtime/caddy-cms-realtime/caddyfile"
	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

// caddyMode runs the bench binary as the project's Caddy server (the same
// modules as cmd/caddy), so that the bench needs no separate build step.
const caddyMode = "serve-caddy"

func runCaddy(args []string) {
	os.Args = append([]string{"caddy"}, args...)
	caddycmd.Main()
}
