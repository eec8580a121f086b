// Command build-caddy builds the caddy-cms-realtime Caddy distribution from
// the pins in xcaddy.toml, so that the binary a release ships and the command
// a user would type are derived from one file.
//
// Usage, from anywhere inside the checkout:
//
//	go run ./cmd/build-caddy [-o PATH] [-print]
//
// Without -print it runs xcaddy's Go builder: Caddy at the pinned version,
// the pinned plugins, and this module replaced by the local checkout, and
// writes the binary to PATH (default ./caddy). With -print it only prints the
// equivalent `xcaddy build` command line.
package main
