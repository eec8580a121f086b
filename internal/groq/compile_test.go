package groq

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompileAcceptsListenQueries(t *testing.T) {
	doc := decode(t, `{"_id": "a", "_type": "post", "n": 2}`)
	for _, q := range []string{
		`*[_type == "post"]`,
		` *[ _type == "post" ] `,
		"*[_type == \"post\"] // a comment\n",
		`*[_type == "post"]{_id, title, "author": author->name}`,
		`*[_type == "post"] | order(_createdAt desc)`,
		`*[_type == "post"] | order(n asc, title) [0...10] {...}`,
		`*[_type == "post"][0..10]`,
		`*[_type == "post"][]`,
		`*[_type == "post"]|{_id}`,
		`*[_type == "post"][n > 1]`,
		`*[_type == "post"][n > 1] | order(n) | order(_id)`,
	} {
		f, err := Compile(q, nil)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if !f.Match(doc) {
			t.Errorf("%s: does not match %v", q, doc)
		}
		if f.String() != q {
			t.Errorf("String() = %q, want %q", f.String(), q)
		}
	}
	f, err := Compile(`*[_type == "post"][n > 5]`, nil)
	if err != nil || f.Match(doc) {
		t.Errorf("a second filter must also hold: %v %v", f, err)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		query string
		pos   int
		msg   string
	}{
		{`*[_type == "post"][0]`, 18, "selects a single document"},
		{`*[_type == "post"]["title"]`, 18, "not an attribute"},
		{`*`, 0, "needs a filter"},
		{`*[]`, 0, "must start with *[filter]"},
		{`count(*[_type == "post"])`, 0, "must have the form *[filter]"},
		{`*[_type == "post"].title`, 18, "only a projection, order() or a slice"},
		{`*[_type == "post"] | score(title match "x")`, 21, "score() is not supported"},
		{`*[_type == "post"] | order(_id) | count(x)`, 34, "unknown pipe function count"},
		{`*[_type == "post"]{title}[defined(title)]`, 25, "after a projection"},
		{`*[_type == "post"]->`, 18, "dereferencing"},
		{`*[author->name == "x"]`, 8, "dereferencing (->) is not supported"},
		{`*[count(*) > 1]`, 8, "whole dataset"},
		{`*[_type == ]`, 11, "expected expression"},
		{`*[_type == "post"`, 17, `expected "]"`},
		{`*[_type = "post"]`, 8, `expected "]"`},
		{`*[a] b`, 5, `unexpected 'b'`},
		{`*[title == "abc]`, 11, "unterminated string"},
		{`*[title == "\x"]`, 12, "invalid escape"},
		{`*[foo(1)]`, 2, "unknown function foo"},
		{`*[nope::foo(1)]`, 2, "unknown namespace nope"},
		{`*[count(a, b)]`, 2, "wrong number of arguments to count()"},
		{`*[string::split(a)]`, 2, "wrong number of arguments to string::split()"},
		{`*[boolean(a)]`, 2, "unknown function boolean"},
		{`*[tags[0..n]]`, 6, "constant numbers"},
		{`*[{count(tags)}.a == 1]`, 3, "property key"},
		{`*[select(a, b)]`, 12, "after its fallback"},
		{`*[a => b]`, 2, "unexpected =>"},
		{`*[title desc]`, 2, "unexpected desc"},
		{`*[$missing == 1]`, 2, "unknown parameter $missing"},
		{`*[(a, b) == 1]`, 2, "tuples"},
		{`*[a | b]`, 6, "function call after |"},
		{`*[1e == 1]`, 4, "exponent"},
		{`fn x::y($a) = $a; *[a]`, 0, "function declarations"},
		{`*[identity() == "me"]`, 2, "not supported in listen filters"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.query, nil)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want an *Error", tt.query, err)
			continue
		}
		if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("%s: got %q at %d, want %q at %d", tt.query, e.Msg, e.Pos, tt.msg, tt.pos)
		}
		if want := "position "; !strings.HasPrefix(e.Error(), want) {
			t.Errorf("%s: Error() = %q", tt.query, e.Error())
		}
	}
}

func TestNestingLimit(t *testing.T) {
	nested := func(open, close string, n int) string {
		return "*[" + strings.Repeat(open, n) + "true" + strings.Repeat(close, n) + "]"
	}
	if _, err := Compile(nested("(", ")", MaxDepth-2), nil); err != nil {
		t.Errorf("%d levels: %v", MaxDepth-2, err)
	}
	for _, q := range []string{
		nested("(", ")", MaxDepth+1),
		nested("[", "][0]", 100000),
		nested("!", "", 100000),
		nested("-", "", 100000),
		nested("{\"a\":", "}.a", 100000),
		nested("count(", ")", 100000),
		"*[" + strings.Repeat("a[", 100000) + "]",
		"*[1" + strings.Repeat(" ** 1", 1000) + "]",
	} {
		_, err := Compile(q, nil)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%.30s...: got %v, want an *Error", q, err)
		}
	}
	// Long chains of left-associative operators are not nesting.
	q := "*[" + strings.Repeat("a == 1 || ", 5000) + "true]"
	f, err := Compile(q, nil)
	if err != nil || !f.Match(nil) {
		t.Errorf("long || chain: %v", err)
	}
}

func TestTypes(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{`*[_type == "post"]`, []string{"post"}},
		{`*["post" == _type && defined(slug)]`, []string{"post"}},
		{`*[_type in ["post", "page"] && !(_id in path("drafts.**"))]`, []string{"page", "post"}},
		{`*[_type == "post" || _type == "page"]`, []string{"page", "post"}},
		{`*[(_type == "post" || _type in ["page"]) && @._type != "x"]`, []string{"page", "post"}},
		{`*[_type in $types]`, []string{"a", "b"}},
		{`*[_type == $type]`, []string{"a"}},
		{`*[_type == "post" && _type == "page"]`, []string{}},
		{`*[_type == "post"][_type in ["post", "page"]]`, []string{"post"}},
		{`*[defined(title)]`, nil},
		{`*[_type != "post"]`, nil},
		{`*[_type == "post" || defined(title)]`, nil},
		{`*[!(_type == "post")]`, nil},
		{`*[_type in ["post", 1]]`, nil},
		{`*[_type == 1]`, nil},
		{`*[_type match "post"]`, nil},
	}
	params := map[string]any{"types": []any{"a", "b"}, "type": "a"}
	for _, tt := range tests {
		f, err := Compile(tt.query, params)
		if err != nil {
			t.Errorf("%s: %v", tt.query, err)
			continue
		}
		got := f.Types()
		if (got == nil) != (tt.want == nil) || !slices.Equal(got, tt.want) {
			t.Errorf("%s: Types() = %#v, want %#v", tt.query, got, tt.want)
		}
	}
}

func TestParseReturnsPositions(t *testing.T) {
	x, err := Parse(`*[a == "b"]`)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := x.(*Chain)
	if !ok || len(c.Items) != 1 || c.Items[0].Kind != TravBracket {
		t.Fatalf("got %#v", x)
	}
	b, ok := c.Items[0].X.(*Binary)
	if !ok || b.Op != "==" || b.Pos() != 2 || b.OpPos != 4 || b.R.Pos() != 7 {
		t.Errorf("got %#v", c.Items[0].X)
	}
	if _, err := Parse(`*[a ==`); err == nil {
		t.Error("Parse accepted an incomplete query")
	}
}

// TestStepBudget checks that nested filters over big arrays give up instead of hanging.
func TestStepBudget(t *testing.T) {
	tags := make([]any, 1000)
	for i := range tags {
		tags[i] = "t"
	}
	doc := map[string]any{"tags": tags}
	f, err := Compile(`*[count(tags[count(^.tags[count(^.^.tags[@ == "t"]) > 0]) > 0]) > 0]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if f.Match(doc) {
		t.Error("a filter over its step budget matched")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	small := map[string]any{"tags": tags[:10]}
	if !f.Match(small) {
		t.Error("the same filter within budget does not match")
	}
}
