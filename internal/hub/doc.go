// Package hub is the in-memory real-time core: it keeps, per dataset, the
// connected clients, who is present on which document, and the live-query
// subscriptions, and it fans inferred document changes out to them.
//
// It knows nothing of HTTP, WebSockets or Caddy. A transport attaches a
// Client for each authenticated socket and feeds it the socket's text
// messages with Client.Handle. A socket transport also attaches a Wire: the
// hub then writes each frame straight to an idle socket with one
// non-blocking write, and queues what the socket does not take for a writer
// goroutine started only then. A transport without a Wire (the event
// stream) writes what Ready and Drain hand it. The hub encodes every message
// once into a ready WebSocket frame and shares it between recipients, never
// blocks on a slow socket (its queue is bounded; when it overflows the
// client is closed with CloseSlowConsumer). Fan-outs (events, presence
// announcements) are sent after the dataset's lock is released; only a
// reply whose order depends on it (welcome and snapshot, subscribed, a
// resume's replay) is sent under it, with one non-blocking write.
package hub
