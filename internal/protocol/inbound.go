package protocol

import (
	"bytes"
	"encoding/json"
)

// Client message types.
const (
	TypePresenceJoin  = "presence.join"
	TypePresenceLeave = "presence.leave"
	TypeSubscribe     = "subscribe"
	TypeUnsubscribe   = "unsubscribe"
	TypePing          = "ping"
	TypeAuth          = "auth"
	TypeResume        = "resume"
)

// Inbound is one validated client message. Only the fields its Type uses are
// set.
type Inbound struct {
	Type       string
	DocumentID string         // presence.join, presence.leave
	Query      string         // subscribe, unsubscribe
	Dataset    string         // subscribe (optional)
	Params     map[string]any // subscribe (optional)
	Token      string         // auth
	Since      uint64         // resume
	Epoch      string         // resume
}

// inboundWire mirrors the JSON shape; every field is raw so that a field of
// the wrong type is reported as such rather than as a JSON syntax error.
type inboundWire struct {
	Type       json.RawMessage `json:"type"`
	DocumentID json.RawMessage `json:"documentId"`
	Query      json.RawMessage `json:"query"`
	Dataset    json.RawMessage `json:"dataset"`
	Params     json.RawMessage `json:"params"`
	Token      json.RawMessage `json:"token"`
	Since      json.RawMessage `json:"since"`
	Epoch      json.RawMessage `json:"epoch"`
}

// Decode parses and validates one client frame. It never panics; any problem
// is an *Error the caller sends back while keeping the socket open.
func Decode(data []byte) (Inbound, *Error) {
	var in Inbound
	trimmed := bytes.TrimSpace(data)
	if !json.Valid(trimmed) {
		return in, Errorf(CodeInvalidJSON, "message is not valid JSON")
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return in, Errorf(CodeInvalidMessage, "message must be a JSON object")
	}
	var w inboundWire
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return in, Errorf(CodeInvalidMessage, "message does not have the expected shape")
	}
	typ, perr := stringField(w.Type, "type", true)
	if perr != nil {
		return in, perr
	}
	in.Type = typ
	switch typ {
	case TypePresenceJoin, TypePresenceLeave:
		in.DocumentID, perr = stringField(w.DocumentID, "documentId", true)
	case TypeSubscribe:
		if in.Query, perr = stringField(w.Query, "query", true); perr != nil {
			return in, perr
		}
		if in.Dataset, perr = stringField(w.Dataset, "dataset", false); perr != nil {
			return in, perr
		}
		in.Params, perr = objectField(w.Params, "params")
	case TypeUnsubscribe:
		in.Query, perr = stringField(w.Query, "query", true)
	case TypeAuth:
		in.Token, perr = stringField(w.Token, "token", true)
	case TypeResume:
		if in.Since, perr = seqField(w.Since, "since"); perr != nil {
			return in, perr
		}
		in.Epoch, perr = stringField(w.Epoch, "epoch", true)
	case TypePing:
	default:
		return in, Errorf(CodeUnknownType, "unknown message type %q", truncate(typ, 64))
	}
	return in, perr
}

func stringField(raw json.RawMessage, name string, required bool) (string, *Error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		if required {
			return "", Errorf(CodeMissingField, "%q is required", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", Errorf(CodeInvalidMessage, "%q must be a string", name)
	}
	if required && s == "" {
		return "", Errorf(CodeMissingField, "%q must not be empty", name)
	}
	return s, nil
}

func seqField(raw json.RawMessage, name string) (uint64, *Error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, Errorf(CodeMissingField, "%q is required", name)
	}
	var n uint64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, Errorf(CodeInvalidMessage, "%q must be a non-negative integer", name)
	}
	return n, nil
}

func objectField(raw json.RawMessage, name string) (map[string]any, *Error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, Errorf(CodeInvalidMessage, "%q must be an object", name)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, Errorf(CodeInvalidMessage, "%q must be an object", name)
	}
	return m, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
