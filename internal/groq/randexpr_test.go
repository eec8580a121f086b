package groq

import (
	"math/rand/v2"
	"strings"
)

// exprGen generates random GROQ filters for the randomized differential test: a grammar
// walk over the operators, functions and traversals the package supports, with the
// attributes of testDocuments, so that the test meets filters nobody wrote by hand.
type exprGen struct {
	r *rand.Rand
}

var (
	genAttrs = []string{"_id", "_type", "title", "n", "price", "tags", "publishedAt", "featured", "body",
		"authors", "meta", "meta.views", "meta.nested.deep", "meta.nested.list", "slug.current", "slug", "scores",
		"matrix", "empty", "missing", "category._ref", "authors[0].name", "authors[].name", "authors[].roles[]",
		"tags[0]", "tags[-1]", "@", "^", "^._type", "^.^", "scores[]", "matrix[][]", "authors[0]", "meta.nested",
		"authors[]{name}", "authors{name}[0]", "meta{views, \"v\": views}", "(tags | order(@))", "(scores | order(@ desc))[0]",
		"(authors | order(name, _key desc))[0].name", "_updatedAt", "category", "authors[].roles", "@.title", "@[\"n\"]"}
	genLits = []string{"0", "1", "-1", "2.5", "3", "10", "1e21", `"post"`, `"news"`, `"Hello World"`, `"3"`, `""`,
		"null", "true", "false", "[]", `["news", "tech"]`, "[1, 2, 3]", `{"a": 1}`, "$n", "$s", "$nul", "$types",
		`"2024-01-01T00:00:00Z"`, `"drafts.doc01"`, `"hel*"`, `"a"`, "1.5e2", "-0", "0.1", `"\u00dc\\"`,
		`'it\'s'`, `"x.y"`, `"Über café"`, `"😀"`, "$obj", "$ids", "$idx", `{"a": [1, {"b": null}]}`, `{}`, "[[1], [2, 3]]",
		`dateTime("2024-06-01T12:00:00Z")`, "dateTime(now())", "dateTime::now()", "now()", `path("drafts.**")`, `path("*")`}
	genBinOps  = []string{"==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "/", "%", "**", "in", "match"}
	genUnary   = []string{"!", "-", "+"}
	genFuncs1  = []string{"defined", "count", "length", "lower", "upper", "string", "dateTime", "round", "array::unique", "array::compact", "math::sum", "math::avg", "math::min", "math::max", "path", "global::defined", "references", "pt::text", "sanity::versionOf", "sanity::partOfRelease", "string::lower", "global::string"}
	genFuncs2  = []string{"coalesce", "string::startsWith", "string::split", "array::join", "round", "array::intersects"}
	genTravels = []string{"[0]", "[-1]", "[1]", "[]", "[0..1]", "[1...3]", ".name", ".current", `["a"]`, "[@ == 1]", "[defined(@)]", `[@ match "n*"]`, "[name == \"Ada\"]", "[name == ^.title]", "[^._type == \"post\"]", "[@ > 1]", "[0][0]", "[].name", "[]._ref", "[][0]", "[-2..-1]", "[$idx]", "[1+1]", "{name}", "{...}", "[true]", "[null]", "[@ in ^.tags]"}
)

func (g *exprGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *exprGen) expr(depth int) string {
	if depth <= 0 || g.r.IntN(10) < 2 {
		if g.r.IntN(2) == 0 {
			return g.pick(genAttrs)
		}
		return g.pick(genLits)
	}
	switch g.r.IntN(16) {
	case 12:
		return `{"k": ` + g.expr(depth-1) + `, ...` + g.pick(genAttrs) + `, ` + g.expr(depth-1) + ` => {"f": ` + g.expr(depth-1) + `}}` +
			g.pick([]string{".k", ".f", ".title", `["k"]`, ".n"})
	case 13:
		return g.pick([]string{"authors", "authors[]", "meta", "slug", "@"}) + `{"n": name, "t": ^.title, "x": ` + g.expr(depth-1) + `}` +
			g.pick([]string{"[0].t", ".x", "[].n", "[x == true]", ".t"})
	case 14:
		return g.pick([]string{"authors", "tags", "scores", "matrix"}) + "[" + g.expr(depth-1) + " " + g.pick([]string{"==", ">", "in", "match"}) + " ^." + g.pick([]string{"title", "n", "tags", "_type"}) + "]"
	case 15:
		return "dateTime(" + g.pick([]string{"publishedAt", "_updatedAt", `"2024-02-29T12:00:00+01:00"`}) + ") " +
			g.pick([]string{"+", "-"}) + " " + g.pick([]string{"60", "-3600.5", "dateTime(_updatedAt)", "n", "0.0001"})
	case 0, 1, 2, 3:
		return g.expr(depth-1) + " " + g.pick(genBinOps) + " " + g.expr(depth-1)
	case 4:
		return g.pick(genUnary) + g.expr(depth-1)
	case 5:
		return "(" + g.expr(depth-1) + ")"
	case 6:
		return g.pick(genFuncs1) + "(" + g.expr(depth-1) + ")"
	case 7:
		return g.pick(genFuncs2) + "(" + g.expr(depth-1) + ", " + g.expr(depth-1) + ")"
	case 8:
		return g.pick(genAttrs) + g.pick(genTravels)
	case 9:
		lo, hi := g.pick(genLits), g.pick(genLits)
		op := ".."
		if g.r.IntN(2) == 0 {
			op = "..."
		}
		return g.expr(depth-1) + " in " + lo + op + hi
	case 10:
		return "select(" + g.expr(depth-1) + " => " + g.expr(depth-1) + ", " + g.expr(depth-1) + ")"
	default:
		var parts []string
		for i := g.r.IntN(3); i >= 0; i-- {
			parts = append(parts, g.expr(depth-1))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
}

// filter returns a random filter: usually a comparison or a boolean combination, so that
// it selects some documents.
func (g *exprGen) filter() string {
	switch g.r.IntN(7) {
	case 4, 5:
		return g.predicate() + " " + g.pick([]string{"&&", "||"}) + " " + g.predicate()
	case 6:
		return g.pick([]string{"!", ""}) + "(" + g.predicate() + " " + g.pick([]string{"&&", "||"}) + " " + g.predicate() + ") " +
			g.pick([]string{"&&", "||"}) + " " + g.predicate()
	case 0:
		return g.expr(3)
	case 1:
		return g.expr(2) + " == " + g.expr(2)
	case 2:
		return g.expr(2) + " " + g.pick([]string{"&&", "||"}) + " !(" + g.expr(2) + ")"
	default:
		return "count(" + g.pick(genAttrs) + g.pick(genTravels) + ") " + g.pick([]string{">", "==", "<="}) + " " + g.pick([]string{"0", "1", "2"})
	}
}

var soupTokens = []string{"title", "n", "tags", "_type", "@", "^", "*", "$n", "$s", "1", "2.5", "1e3", `"a"`, `'b'`,
	"null", "true", "(", ")", "[", "]", "{", "}", ",", ".", "..", "...", ":", "=>", "->", "|", "||", "&&", "!",
	"==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "**", "in", "match", "asc", "desc", "count",
	"defined(", "order(", "select(", "string::", "::", "$", "//c\n", " ", "\"", "\\", "...", "[]", "{}"}

// soup returns a random sequence of tokens: mostly invalid GROQ, to compare what both
// parsers accept.
func (g *exprGen) soup() string {
	var b strings.Builder
	for i := 1 + g.r.IntN(8); i > 0; i-- {
		b.WriteString(g.pick(soupTokens))
		if g.r.IntN(2) == 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// predicate returns a comparison of a document value with a literal, the building block
// of real filters.
func (g *exprGen) predicate() string {
	v := g.pick(genAttrs)
	if g.r.IntN(3) == 0 {
		v = g.pick(genFuncs1) + "(" + v + ")"
	}
	switch g.r.IntN(8) {
	case 5:
		return g.pick([]string{"title", "body", "tags", "_id", "authors[].name"}) + " match " + g.randString()
	case 6:
		return g.pick([]string{"_id", "title", "slug.current"}) + " in path(" + g.randString() + ")"
	case 7:
		return g.pick([]string{"title", "body", "_id"}) + " " + g.pick([]string{"<", ">=", "=="}) + " " + g.randString()
	case 0:
		return "defined(" + v + ")"
	case 1:
		return g.pick(genLits) + " in " + v
	case 2:
		return v + " match " + g.pick(genLits)
	default:
		return v + " " + g.pick([]string{"==", "!=", "<", "<=", ">", ">=", "in"}) + " " + g.pick(genLits)
	}
}

var stringAtoms = []string{"a", "B", "x", "y.z", ".", "..", "-", "_", "*", "**", " ", ",", "é", "É", "😀", "\\u00e9",
	"hello", "World", "doc0", "drafts", "versions", "r1", "sub", "ß", "İ", "'", "\\\"", "\\t", "1", "...", "a.b", "*.*", "&", "groq", "*o*",
	"\\u{1F600}", "\\ud83d\\ude00", "\\u{e9}", "\\u00E9", "\\/", "\\b\\f\\n\\r"}

// randString returns a random string literal built from atoms that exercise tokenizing,
// case folding, globbing, escapes and non-ASCII text.
func (g *exprGen) randString() string {
	var b strings.Builder
	b.WriteByte('"')
	for i := g.r.IntN(5); i >= 0; i-- {
		b.WriteString(g.pick(stringAtoms))
	}
	b.WriteByte('"')
	return b.String()
}

var spacers = []string{" ", "  ", "\n", "\t", "// note\n", " // x\n ", "\u00a0", "\r\n"}

// respace inserts random white space and comments around the punctuation of a filter
// (outside string literals), to compare how both parsers treat it.
func (g *exprGen) respace(filter string) string {
	var b strings.Builder
	var quote rune
	for _, r := range filter {
		if quote != 0 {
			b.WriteRune(r)
			if r == quote {
				quote = 0
			}
			continue
		}
		if r == '"' || r == '\'' {
			quote = r
			b.WriteRune(r)
			continue
		}
		special := strings.ContainsRune(".[](){},:|=!<>&*+-$^@", r)
		if special && g.r.IntN(3) == 0 {
			b.WriteString(g.pick(spacers))
		}
		b.WriteRune(r)
		if special && g.r.IntN(3) == 0 {
			b.WriteString(g.pick(spacers))
		}
	}
	return b.String()
}
