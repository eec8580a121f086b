package groq

import (
	"regexp"
	"strings"
)

// pathGlob is the value of path("drafts.**"): a dotted pattern where `*` matches one
// segment (one or more characters other than ".") and `**` matches any text.
var matchNothing = regexp.MustCompile(`[^\x00-\x{10FFFF}]`)

type pathGlob struct {
	pattern string
	// prefix is set for the common "literal.**" form, matched without a regexp.
	prefix string
	re     *regexp.Regexp
}

func compilePath(pattern string) *pathGlob {
	g := &pathGlob{pattern: pattern}
	parts := strings.Split(pattern, ".")
	var re strings.Builder
	re.WriteString("^")
	simple := len(parts) > 1 && parts[len(parts)-1] == "**"
	for i, part := range parts {
		if i > 0 {
			re.WriteString(`\.`)
		}
		switch part {
		case "*":
			re.WriteString(`[^.]+`)
			simple = false
		case "**":
			// JavaScript's "." does not match line terminators.
			re.WriteString(`[^\n\r\x{2028}\x{2029}]*`)
			if i != len(parts)-1 {
				simple = false
			}
		default:
			re.WriteString(regexp.QuoteMeta(strings.ToValidUTF8(part, "\uFFFD")))
		}
	}
	re.WriteString("$")
	if simple {
		g.prefix = strings.TrimSuffix(pattern, "**")
		return g
	}
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		compiled = matchNothing // cannot happen: every part is quoted or a fixed class
	}
	g.re = compiled
	return g
}

func (g *pathGlob) match(s string) bool {
	if g.re == nil {
		return strings.HasPrefix(s, g.prefix) && !strings.ContainsAny(s[len(g.prefix):], "\n\r\u2028\u2029")
	}
	return g.re.MatchString(s)
}
