// Package caddyfile registers the cms_realtime Caddyfile directive, ordered
// before reverse_proxy, and turns its block into the JSON of the
// http.handlers.cms_realtime module. Import it (cmd/caddy does) to make the
// directive available; importing it also registers the module.
//
// Every mistake is reported with the Caddyfile's file and line and says what
// to write instead.
package caddyfile
