package infer

import "net/url"

// Operation is what a write did to a document.
type Operation string

// The operations of PROTOCOL.md.
const (
	Create    Operation = "create"
	Update    Operation = "update"
	Delete    Operation = "delete"
	Publish   Operation = "publish"
	Unpublish Operation = "unpublish"
)

// Response is one response the proxy passed back to a client.
type Response struct {
	// Method is the effective method (after X-HTTP-Method-Override, X-HTTP-Method or
	// _method), in any case.
	Method string
	// Path is the decoded request path as the handler saw it (after any handle_path
	// stripping).
	Path        string
	Query       url.Values
	Status      int
	ContentType string
	// Body is the decompressed body, or nil when empty or not captured.
	Body []byte
	// Truncated reports that the body exceeded the capture limit; no change is ever
	// inferred from it.
	Truncated bool
}

// Change is one inferred document change.
type Change struct {
	ID   string
	Type string
	Op   Operation
	// Doc is the document as the response showed it (for a delete: its last known
	// state), with _id and _type set to ID and Type when it had none. It is shared with
	// the document cache and must not be modified.
	Doc map[string]any
	// Prev is the document's last known state before the change, or nil. It is shared
	// with the document cache and must not be modified.
	Prev map[string]any
}
