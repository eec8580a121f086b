package groq

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// This file holds the lexical rules of GROQ as groq-js applies them: white space and
// comments, identifiers, numbers and string literals. The parser calls these helpers at
// the positions where its grammar expects a token.

// skipWS returns the position after any white space and `//` comments at pos. As in
// groq-js a comment only counts when a newline ends it.
func skipWS(src string, pos int) int {
	for pos < len(src) {
		switch c := src[pos]; c {
		case '\t', '\n', '\v', '\f', '\r', ' ':
			pos++
		case 0xC2: // U+0085 and U+00A0 in UTF-8
			if pos+1 < len(src) && (src[pos+1] == 0x85 || src[pos+1] == 0xA0) {
				pos += 2
				continue
			}
			return pos
		case '/':
			if pos+1 >= len(src) || src[pos+1] != '/' {
				return pos
			}
			nl := strings.IndexByte(src[pos+2:], '\n')
			if nl < 0 {
				return pos
			}
			pos += 2 + nl + 1
		default:
			return pos
		}
	}
	return pos
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// identLen returns the length of the identifier ([a-zA-Z_][a-zA-Z_0-9]*) at pos, or 0.
func identLen(src string, pos int) int {
	if pos >= len(src) || !isIdentStart(src[pos]) {
		return 0
	}
	n := 1
	for pos+n < len(src) && (isIdentStart(src[pos+n]) || isDigit(src[pos+n])) {
		n++
	}
	return n
}

func digitsLen(src string, pos int) int {
	n := 0
	for pos+n < len(src) && isDigit(src[pos+n]) {
		n++
	}
	return n
}

// scanNumber reads the number literal at pos (which starts with a digit) and returns its
// value and the position after it.
func scanNumber(src string, pos int) (float64, int, *Error) {
	start := pos
	pos += digitsLen(src, pos)
	if pos < len(src) && src[pos] == '.' {
		if n := digitsLen(src, pos+1); n > 0 {
			pos += 1 + n
		}
	}
	if pos < len(src) && (src[pos] == 'e' || src[pos] == 'E') {
		pos++
		if pos < len(src) && (src[pos] == '+' || src[pos] == '-') {
			pos++
		}
		n := digitsLen(src, pos)
		if n == 0 {
			return 0, pos, errorf(pos, "exponent must be a number")
		}
		pos += n
	}
	// Out-of-range literals become ±Inf, as JavaScript's Number() makes them.
	f, err := strconv.ParseFloat(src[start:pos], 64)
	if err != nil && f == 0 {
		return 0, pos, errorf(start, "invalid number")
	}
	return f, pos, nil
}

// scanString reads the string literal whose opening quote is at pos and returns its
// value and the position after the closing quote. Escapes follow groq-js: \' \" \\ \/ \b
// \f \n \r \t, \uXXXX (UTF-16 code units, surrogate pairs combine) and \u{X...}.
func scanString(src string, pos int) (string, int, *Error) {
	quote := src[pos]
	start := pos
	pos++
	var b strings.Builder
	var units []uint16 // pending UTF-16 code units from \u escapes
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	segment := pos
	for {
		if pos >= len(src) {
			return "", pos, errorf(start, "unterminated string")
		}
		c := src[pos]
		if c == quote {
			if pos > segment {
				flush()
				b.WriteString(src[segment:pos])
			}
			flush()
			return b.String(), pos + 1, nil
		}
		if c != '\\' {
			pos++
			continue
		}
		if pos > segment {
			flush()
			b.WriteString(src[segment:pos])
		}
		if pos+1 >= len(src) {
			return "", pos, errorf(start, "unterminated string")
		}
		switch e := src[pos+1]; e {
		case 'u':
			if pos+2 < len(src) && src[pos+2] == '{' {
				end := strings.IndexByte(src[pos+3:], '}')
				if end < 0 {
					return "", pos, unsupportedf(pos, `unterminated \u{...} escape`)
				}
				units = append(units, hexUnit(src[pos+3:pos+3+end]))
				pos = pos + 3 + end + 1
			} else {
				end := min(pos+6, len(src))
				units = append(units, hexUnit(src[pos+2:end]))
				pos += 6
			}
		default:
			r, ok := simpleEscape(e)
			if !ok {
				return "", pos, unsupportedf(pos, "invalid escape sequence \\"+string(rune(e)))
			}
			flush()
			b.WriteByte(r)
			pos += 2
		}
		segment = pos
	}
}

func simpleEscape(c byte) (byte, bool) {
	switch c {
	case '\'', '"', '\\', '/':
		return c, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// hexUnit converts hexadecimal text to a UTF-16 code unit the way groq-js does
// (String.fromCharCode(parseInt(s, 16))): leading white space and a sign are allowed,
// only the leading hex digits count, no digits gives 0, and the result wraps to 16 bits.
func hexUnit(s string) uint16 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d, ok := hexDigit(s[i])
		if !ok {
			break
		}
		v = v<<4 | uint64(d)
	}
	if neg {
		v = -v
	}
	return uint16(v)
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
