package groq

import "testing"

// TestPathPrefixAgreesWithRegexp checks the fast path for "literal.**" against the
// regular expression groq-js uses.
func TestPathPrefixAgreesWithRegexp(t *testing.T) {
	subjects := []string{"", "drafts", "drafts.", "drafts.a", "draftsX", "drafts.a.b", "drafts.\n", "drafts.a\rb",
		"drafts.\u2028", "xdrafts.a", "Drafts.a", "drafts😀", "doc*.x", "doc*", "docs.x"}
	for _, pattern := range []string{"drafts.**", "doc*.**", "a.**"} {
		g := compilePath(pattern)
		if g.prefix == "" {
			t.Fatalf("%s: no fast path", pattern)
		}
		re := pathRegexp(pattern)
		for _, s := range subjects {
			if got, want := g.match(s), re.MatchString(utf16Runes(s)); got != want {
				t.Errorf("path(%q) on %q: fast path %v, regexp %v", pattern, s, got, want)
			}
		}
	}
	for _, pattern := range []string{"*.**", "**", "a.b.**", ".**", "**.**"} {
		if g := compilePath(pattern); g.prefix != "" {
			t.Errorf("%s: fast path %q, want the regexp", pattern, g.prefix)
		}
	}
}
