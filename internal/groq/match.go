package groq

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file implements the text matching of the `match` operator as groq-js does: the
// text is split into tokens, the pattern into terms, and every term must match a whole
// token, case-insensitively, where `*` in a term matches any run of characters.

// maxTermLen is how much of a term counts, in UTF-16 code units, as in groq-js.
const maxTermLen = 1024

// isSeparator reports whether r separates tokens: one of !@#$%^&*(),\/?";:{}|[]+<>- or
// JavaScript white space. Terms of a pattern keep `*` (wildcard is true).
func isSeparator(r rune, wildcard bool) bool {
	switch r {
	case '*':
		return !wildcard
	case '!', '@', '#', '$', '%', '^', '&', '(', ')', ',', '\\', '/', '?', '"', ';', ':',
		'{', '}', '|', '[', ']', '+', '<', '>', '-':
		return true
	}
	return isJSSpace(r)
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// trimEdgeDots removes every run of "." that touches a word character, as
// s.replace(/(\b\.+|\.+\b)/g, "") does.
func trimEdgeDots(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		if s[i] != '.' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '.' {
			j++
		}
		touches := (i > 0 && isWordByte(s[i-1])) || (j < len(s) && isWordByte(s[j]))
		if !touches {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// appendTokens appends the tokens (or, with wildcard, the terms) of s to dst.
func appendTokens(dst []string, s string, wildcard bool) []string {
	s = trimEdgeDots(s)
	start := -1
	for i, r := range s {
		if isSeparator(r, wildcard) {
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// gatherText collects the tokens of a string or of the strings of an array. ok is false
// when v is neither, or is an array with an element that is not a string.
func gatherText(dst []string, v value, wildcard bool) ([]string, bool) {
	switch v.k {
	case kindString:
		return appendTokens(dst, v.s, wildcard), true
	case kindArray:
		ok := true
		for i := 0; i < v.len(); i++ {
			e := v.at(i)
			if e.k != kindString {
				ok = false
				continue
			}
			dst = appendTokens(dst, e.s, wildcard)
		}
		return dst, ok
	}
	return dst, false
}

// matchText is `text match pattern`: true when every term of the pattern matches some
// token of the text; false when either side has none.
func matchText(text, pattern value) value {
	terms, ok := gatherText(nil, pattern, true)
	if !ok {
		return falseValue
	}
	tokens, _ := gatherText(nil, text, false)
	if len(tokens) == 0 || len(terms) == 0 {
		return falseValue
	}
	for _, term := range terms {
		term = truncateUTF16(term, maxTermLen)
		found := false
		for _, tok := range tokens {
			if globMatch(term, tok) {
				found = true
				break
			}
		}
		if !found {
			return falseValue
		}
	}
	return trueValue
}

func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// globMatch matches a whole token against a term in which `*` is any run of characters
// and `.` any one character (the term becomes a regular expression in groq-js, where
// only those two are special, since the other metacharacters separate terms). Like a
// JavaScript regular expression without the u flag it works on UTF-16 code units, so
// "." matches half of an emoji.
func globMatch(pattern, s string) bool {
	p := utf16.Encode([]rune(pattern))
	t := utf16.Encode([]rune(s))
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && (p[pi] == '.' || foldEqual(rune(p[pi]), rune(t[ti]))):
			pi++
			ti++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// foldEqual compares two characters the way a case-insensitive JavaScript regular
// expression does: by their upper case, except that a non-ASCII character never matches
// an ASCII one.
func foldEqual(a, b rune) bool {
	if a == b {
		return true
	}
	return canonical(a) == canonical(b)
}

func canonical(r rune) rune {
	u := unicode.ToUpper(r)
	if r >= utf8.RuneSelf && u < utf8.RuneSelf {
		return r
	}
	return u
}
