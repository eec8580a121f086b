package protocol

import "fmt"

// Error codes sent in {"type":"error","code":…}. They are part of the public
// contract: README's reference lists each one.
const (
	CodeInvalidJSON     = "invalid_json"     // the frame is not valid JSON
	CodeInvalidMessage  = "invalid_message"  // valid JSON, but not an object, or a field has the wrong type
	CodeUnknownType     = "unknown_type"     // "type" names no client message
	CodeMissingField    = "missing_field"    // a required field is absent or empty
	CodeBadQuery        = "bad_query"        // the GROQ query does not compile; Position says where
	CodeDatasetMismatch = "dataset_mismatch" // a subscribe names a dataset other than the socket's
	CodeNotSubscribed   = "not_subscribed"   // unsubscribe of a query that is not subscribed
	CodeBadToken        = "bad_token"        // an auth message whose token does not verify (the socket keeps its old token)
	CodeLimit           = "limit_exceeded"   // a per-socket limit (subscriptions, presence documents) is reached
	CodeBinaryFrame     = "binary_frame"     // binary frames carry no messages in this protocol
)

// Error answers bad client input. The socket stays open.
type Error struct {
	Code    string
	Message string
	// Position is a 0-based byte offset into the query, for CodeBadQuery;
	// negative when there is none.
	Position int
}

func (e *Error) Error() string {
	if e.Position >= 0 {
		return fmt.Sprintf("%s: %s (position %d)", e.Code, e.Message, e.Position)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an Error without a position.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Position: -1}
}
