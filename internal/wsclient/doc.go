// Package wsclient is the WebSocket client of the project's own tools: the
// end-to-end tests, the soak and the benchmark talk to the sidecar with it.
//
// It exists so that these tools share one correct client rather than each
// carrying its own frame loop. A Conn answers pings and echoes the server's
// close frame as RFC 6455 asks, reassembles fragmented messages, fails on
// what a server must not send (masked frames, invalid UTF-8 text) and on a
// message too large to hold, and never modifies what it is given to send.
// It reuses one read buffer per connection, so that a client process can
// hold thousands of sockets.
package wsclient
