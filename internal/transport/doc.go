// Package transport runs a hub.Client over a WebSocket connection with
// gobwas/ws: one goroutine reads frames (enforcing the frame size limit and
// the idle timeout) and hands text messages to the client, one writes the
// client's outbound queue in batches with a single vectored write, sends
// heartbeat pings, and closes the socket with the code the hub chose.
//
// Nothing here holds a hub lock while touching the network.
package transport
