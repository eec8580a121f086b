// Package e2e holds the end-to-end tests of caddy-cms-realtime.
//
// They exist to check the product the way a user runs it: the real Caddy
// binary built from ./cmd/caddy, configured by a Caddyfile, in front of an
// unmodified json-server, with real WebSocket clients and real HTTP writes.
// Nothing is mocked. The tests need Node.js and the packages of the
// repository's package-lock.json (run `npm ci` at the repository root), and
// the demo smoke test needs Chromium at /usr/bin/chromium.
package e2e
