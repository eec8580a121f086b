// Package transport runs a hub.Client over a WebSocket connection with
// gobwas/ws, at the least cost per idle socket.
//
// Reading: on Linux a plain TCP socket is read by one process-wide epoll
// poller, which wakes a small bounded pool of workers when a socket has
// input; they read what is there without blocking, parse frames (enforcing
// the frame size limit and the protocol), and hand text messages to the
// client. A partial frame keeps a buffer only while it is partial. Anything
// else (TLS, in-memory pipes, other systems) is read by a goroutine of its
// own.
//
// Writing: the socket is the client's hub.Wire. The hub writes each frame
// straight to the socket with a non-blocking write(2) when nothing is
// queued; what the socket does not take at once is queued for a writer
// goroutine the hub starts on demand, which exits once the queue is empty.
//
// Heartbeats: one goroutine per set of Options pings every socket each ping
// interval and closes those silent past ping interval plus pong timeout;
// there is no timer per socket.
//
// Nothing here holds a hub lock while touching the network.
package transport
