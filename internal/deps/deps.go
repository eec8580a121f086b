package deps

import (
	_ "github.com/caddyserver/caddy/v2"
	_ "github.com/caddyserver/caddy/v2/caddytest"
	_ "github.com/caddyserver/xcaddy"
	_ "github.com/dgraph-io/ristretto/v2"
	_ "github.com/gobwas/ws"
	_ "github.com/golang-jwt/jwt/v5"
)
