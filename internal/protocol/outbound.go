package protocol

import (
	"strconv"
	"time"
)

// Server message types.
const (
	TypeWelcome          = "welcome"
	TypePresenceSnapshot = "presence.snapshot"
	TypeSubscribed       = "subscribed"
	TypeUnsubscribed     = "unsubscribed"
	TypePong             = "pong"
	TypeError            = "error"
	TypeMutation         = "mutation"
	TypeDocumentUpdated  = "document.updated"
	TypeAuthenticated    = "authenticated"
	TypeReset            = "reset"
	TypeResumed          = "resumed"
)

// TimeLayout is the format of every ts: RFC 3339, UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// User identifies someone present on a document.
type User struct {
	UserID   string
	UserName string
}

// PresenceDocument is one entry of a presence snapshot.
type PresenceDocument struct {
	DocumentID string
	Users      []User
}

// Event is one inferred document change as clients see it.
type Event struct {
	DocumentID   string
	DocumentType string
	Operation    string
	TS           time.Time
	Seq          uint64
	Epoch        string
}

// AppendWelcome appends {"type":"welcome",…}.
func AppendWelcome(dst []byte, clientID, userID string) []byte {
	dst = append(dst, `{"type":"welcome","clientId":`...)
	dst = appendString(dst, clientID)
	dst = append(dst, `,"userId":`...)
	dst = appendString(dst, userID)
	return append(dst, '}')
}

// AppendSnapshot appends {"type":"presence.snapshot","documents":[…]}.
func AppendSnapshot(dst []byte, docs []PresenceDocument) []byte {
	dst = append(dst, `{"type":"presence.snapshot","documents":[`...)
	for i, d := range docs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"documentId":`...)
		dst = appendString(dst, d.DocumentID)
		dst = append(dst, `,"users":[`...)
		for j, u := range d.Users {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendUser(dst, u)
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, "]}"...)
}

func appendUser(dst []byte, u User) []byte {
	dst = append(dst, `{"userId":`...)
	dst = appendString(dst, u.UserID)
	dst = append(dst, `,"userName":`...)
	dst = appendString(dst, u.UserName)
	return append(dst, '}')
}

// AppendPresence appends a presence.join or presence.leave announcement.
func AppendPresence(dst []byte, typ, documentID string, u User) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, typ)
	dst = append(dst, `,"documentId":`...)
	dst = appendString(dst, documentID)
	dst = append(dst, `,"userId":`...)
	dst = appendString(dst, u.UserID)
	dst = append(dst, `,"userName":`...)
	dst = appendString(dst, u.UserName)
	return append(dst, '}')
}

// AppendQueryReply appends {"type":"subscribed"|"unsubscribed","query":…}.
func AppendQueryReply(dst []byte, typ, query string) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, typ)
	dst = append(dst, `,"query":`...)
	dst = appendString(dst, query)
	return append(dst, '}')
}

// AppendType appends a message that carries nothing but its type, such as
// {"type":"pong"}.
func AppendType(dst []byte, typ string) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, typ)
	return append(dst, '}')
}

// AppendError appends {"type":"error","code":…,"message":…[,"position":N]}.
func AppendError(dst []byte, e *Error) []byte {
	dst = append(dst, `{"type":"error","code":`...)
	dst = appendString(dst, e.Code)
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, e.Message)
	if e.Position >= 0 {
		dst = append(dst, `,"position":`...)
		dst = strconv.AppendInt(dst, int64(e.Position), 10)
	}
	return append(dst, '}')
}

// AppendMutation appends the mutation event sent to matching subscriptions.
func AppendMutation(dst []byte, e *Event) []byte {
	dst = append(dst, `{"type":"mutation","documentId":`...)
	dst = appendString(dst, e.DocumentID)
	dst = append(dst, `,"documentType":`...)
	dst = appendString(dst, e.DocumentType)
	return appendEventTail(dst, e)
}

// AppendDocumentUpdated appends the document.updated event sent to sockets
// present on the document.
func AppendDocumentUpdated(dst []byte, e *Event) []byte {
	dst = append(dst, `{"type":"document.updated","documentId":`...)
	dst = appendString(dst, e.DocumentID)
	return appendEventTail(dst, e)
}

func appendEventTail(dst []byte, e *Event) []byte {
	dst = append(dst, `,"operation":`...)
	dst = appendString(dst, e.Operation)
	dst = append(dst, `,"ts":"`...)
	dst = e.TS.UTC().AppendFormat(dst, TimeLayout)
	dst = append(dst, `","seq":`...)
	dst = strconv.AppendUint(dst, e.Seq, 10)
	dst = append(dst, `,"epoch":`...)
	dst = appendString(dst, e.Epoch)
	return append(dst, '}')
}

// AppendAuthenticated appends the reply to a successful auth message.
func AppendAuthenticated(dst []byte, userID string, expires time.Time) []byte {
	dst = append(dst, `{"type":"authenticated","userId":`...)
	dst = appendString(dst, userID)
	if !expires.IsZero() {
		dst = append(dst, `,"expiresAt":"`...)
		dst = expires.UTC().AppendFormat(dst, TimeLayout)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// AppendReset appends {"type":"reset","reason":…,"epoch":…,"seq":…}: the
// client's resume point cannot be served and it must refetch; seq is the
// dataset's current seq, from which it may resume next time.
func AppendReset(dst []byte, reason, epoch string, seq uint64) []byte {
	dst = append(dst, `{"type":"reset","reason":`...)
	dst = appendString(dst, reason)
	dst = append(dst, `,"epoch":`...)
	dst = appendString(dst, epoch)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendUint(dst, seq, 10)
	return append(dst, '}')
}

// AppendResumed appends {"type":"resumed",…}: the events after since that
// match (query, when not empty: that subscription) were replayed, replayed
// of them, up to seq.
func AppendResumed(dst []byte, query string, since, seq uint64, replayed int) []byte {
	dst = append(dst, `{"type":"resumed"`...)
	if query != "" {
		dst = append(dst, `,"query":`...)
		dst = appendString(dst, query)
	}
	dst = append(dst, `,"since":`...)
	dst = strconv.AppendUint(dst, since, 10)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendUint(dst, seq, 10)
	dst = append(dst, `,"replayed":`...)
	dst = strconv.AppendInt(dst, int64(replayed), 10)
	return append(dst, '}')
}

// AppendClose appends {"type":"close","code":N,"reason":…}, the last event
// of a Server-Sent Events stream (a WebSocket says this in its close frame).
func AppendClose(dst []byte, code uint16, reason string) []byte {
	dst = append(dst, `{"type":"close","code":`...)
	dst = strconv.AppendUint(dst, uint64(code), 10)
	dst = append(dst, `,"reason":`...)
	dst = appendString(dst, reason)
	return append(dst, '}')
}
