package groq

import "strconv"

// Error is a compile error: a query that is not valid GROQ or uses something a listen
// filter cannot. Pos is a 0-based byte offset into the query.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string {
	return "position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

func errorf(pos int, msg string) *Error {
	return &Error{Pos: pos, Msg: msg}
}
