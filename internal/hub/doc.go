// Package hub is the in-memory real-time core: it keeps, per dataset, the
// connected clients, who is present on which document, and the live-query
// subscriptions, and it fans inferred document changes out to them.
//
// It knows nothing of HTTP, WebSockets or Caddy. A transport attaches a
// Client for each authenticated socket, feeds it the socket's text messages
// with Client.Handle, and writes what the client's outbound queue holds. The
// hub encodes every message once into a ready WebSocket frame and shares it
// between recipients, never blocks on a slow socket (its queue is bounded;
// when it overflows the client is closed with CloseSlowConsumer), and never
// holds a lock while a socket is written.
package hub
