// Package cms holds the end-to-end tests of caddy-cms-realtime in front of a real CMS.
//
// The presets of internal/infer are written from each CMS's documentation and source
// and tested on fixtures; this package checks one of them against the CMS itself, the
// way a user runs it: the test installs Directus from npm (cached under
// $HOME/.cache/caddy-cms-realtime), starts it on SQLite, builds and runs the real Caddy
// binary of ./cmd/caddy in front of it with `preset directus`, writes through the
// sidecar with Directus's own REST API, and checks the events a WebSocket client
// receives. Nothing is mocked. It needs Node.js 18 or later, npm and the npm registry
// on the first run.
package cms
