package groq

import "strconv"

// Error is a compile error: a query that is not valid GROQ or uses something a listen
// filter cannot. Pos is a 0-based byte offset into the query.
type Error struct {
	Pos int
	Msg string
	// unsupported marks valid GROQ that a listen filter cannot use (`->`, `*` inside the
	// filter, an unknown parameter, ...), as opposed to a query groq-js rejects as well.
	unsupported bool
}

func (e *Error) Error() string {
	return "position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

func errorf(pos int, msg string) *Error {
	return &Error{Pos: pos, Msg: msg}
}

func unsupportedf(pos int, msg string) *Error {
	return &Error{Pos: pos, Msg: msg, unsupported: true}
}
