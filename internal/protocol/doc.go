// Package protocol defines the CellCMS real-time wire protocol: the JSON
// messages a client sends over the WebSocket, the messages the server sends
// back, and the error codes that answer bad input.
//
// It exists so that the hub, the transport and the tests agree on one
// encoding. Client messages are rare and small, so they are decoded with
// encoding/json and validated field by field; server messages are hot (an
// event is encoded once per change and fanned out to every recipient), so
// they are built with append-style encoders that reuse a caller's buffer.
package protocol
