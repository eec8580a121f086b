package groq

import (
	"regexp"
	"strings"
	"unicode/utf16"
)

// pathGlob is the value of path("drafts.**"). groq-js turns the pattern into a regular
// expression: each "."-separated part is `*` (one or more characters other than "."),
// `**` (any characters) or literal text, and the parts are joined with an unescaped "."
// that matches any one character. So path("drafts.**") matches "drafts.a" but also
// "draftsXa"; this package matches exactly what groq-js matches.
type pathGlob struct {
	pattern string
	// prefix is set for the common form "literal.**", matched without the regexp: the
	// literal, then at least one more character, and no line terminator after it.
	prefix string
	re     *regexp.Regexp
}

const lineTerminators = "\n\r\u2028\u2029"

// anyChar is JavaScript's "." (no line terminators).
const anyChar = `[^\n\r\x{2028}\x{2029}]`

var matchNothing = regexp.MustCompile(`[^\x00-\x{10FFFF}]`)

func compilePath(pattern string) *pathGlob {
	if lit, ok := strings.CutSuffix(pattern, ".**"); ok && lit != "" && !strings.Contains(lit, ".") && lit != "*" && lit != "**" {
		return &pathGlob{pattern: pattern, prefix: lit}
	}
	return &pathGlob{pattern: pattern, re: pathRegexp(pattern)}
}

// pathRegexp builds the regular expression groq-js matches a path pattern with, over
// strings rewritten by utf16Runes.
func pathRegexp(pattern string) *regexp.Regexp {
	var re strings.Builder
	re.WriteString("^")
	for i, part := range strings.Split(pattern, ".") {
		if i > 0 {
			re.WriteString(anyChar)
		}
		switch part {
		case "*":
			re.WriteString(`[^.]+`)
		case "**":
			re.WriteString(anyChar + "*")
		default:
			re.WriteString(regexp.QuoteMeta(utf16Runes(strings.ToValidUTF8(part, "\uFFFD"))))
		}
	}
	re.WriteString("$")
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return matchNothing // cannot happen: every part is quoted or a fixed class
	}
	return compiled
}

func (g *pathGlob) match(s string) bool {
	if g.prefix != "" {
		rest, ok := strings.CutPrefix(s, g.prefix)
		return ok && rest != "" && !strings.ContainsAny(rest, lineTerminators)
	}
	return g.re.MatchString(utf16Runes(s))
}

// utf16Runes rewrites every character above U+FFFF as two characters, one per UTF-16
// code unit (mapped into a private use plane, since Go strings cannot hold surrogates),
// so that a regular expression sees the code units a JavaScript one sees: groq-js's "."
// between the parts of a path matches half of an emoji.
func utf16Runes(s string) string {
	astral := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 {
			astral = true
			break
		}
	}
	if !astral {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x10000 {
			b.WriteRune(r)
			continue
		}
		hi, lo := utf16.EncodeRune(r)
		b.WriteRune(0xF0000 + hi)
		b.WriteRune(0xF0000 + lo)
	}
	return b.String()
}
