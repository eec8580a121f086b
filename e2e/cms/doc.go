// Package cms holds the end-to-end tests of caddy-cms-realtime in front of real CMSs.
//
// The presets of internal/infer are written from each CMS's documentation and source
// and tested on fixtures; this package checks them the way a user runs them. It builds
// the real Caddy binary of ./cmd/caddy and:
//
//   - runs Directus and Strapi 5 themselves, installed from npm by the test (cached
//     under $HOME/.cache/caddy-cms-realtime) and started on SQLite, writes through the
//     sidecar with each CMS's own REST API, and checks the events a WebSocket client
//     receives;
//   - replays every preset fixture through the sidecar in front of a test upstream
//     that answers with the fixture's responses.
//
// Nothing is mocked between the client, the sidecar and the CMS. The tests need
// Node.js 20 or later, npm, a C++ compiler for the SQLite drivers, and the npm
// registry on the first run.
package cms
