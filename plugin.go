// Package caddycmsrealtime is the import path xcaddy builds Caddy with:
// `xcaddy build --with github.com/caddy-cms-realtime/caddy-cms-realtime`
// registers the http.handlers.cms_realtime module and its cms_realtime
// Caddyfile directive. The handler lives in module/, the directive in
// caddyfile/, and the Caddy-free core in internal/.
package caddycmsrealtime

import (
	// Registers the directive, which registers the module.
	_ "github.com/caddy-cms-realtime/caddy-cms-realtime/caddyfile"
)
