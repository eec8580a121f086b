// Package module is the Caddy adapter of caddy-cms-realtime: the HTTP
// handler http.handlers.cms_realtime. It is deliberately thin. It passes
// every REST request to the next handler (normally reverse_proxy) through a
// capture.Recorder, hands what the CMS answered to the inference engine after
// the client has it, and upgrades requests on its path to WebSockets that the
// hub serves.
//
// Every handler of a process shares one hub, document cache and observer,
// held in a caddy.UsagePool: a socket on any route sees what any route
// observed for its dataset, and sockets, presence and history survive
// `caddy reload`. The core (hub, protocol, inference, GROQ, auth) lives in
// internal/ and knows nothing of Caddy.
package module
