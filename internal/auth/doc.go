// Package auth verifies the JSON Web Token a WebSocket client presents when it
// connects (PROTOCOL.md, "Connect") or refreshes its session with an "auth"
// message, and turns it into the Identity the hub works with.
//
// A Verifier trusts exactly one source of keys: a shared HMAC secret, a PEM
// public key, or a JWKS URL. The accepted algorithms are pinned to the key
// type, so a token can never pick its own verification method (no "none", no
// RSA public key reused as an HMAC secret). Errors describe why a token was
// refused but never contain the token itself, so they are safe to log.
//
// The package is deliberately free of Caddy: the Caddy handler builds a Config
// from its Caddyfile directives and calls New once per handler.
package auth
