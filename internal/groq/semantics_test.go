package groq

import (
	"encoding/json"
	"testing"
	"time"
)

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("bad test document %s: %v", s, err)
	}
	return doc
}

var semanticsNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// TestSemantics checks GROQ's rules one by one on a small document.
func TestSemantics(t *testing.T) {
	doc := `{
		"_id": "drafts.p1", "_type": "post", "title": "Hello, World", "n": 3, "s": "3", "z": null,
		"tags": ["news", "tech", null, 3], "slug": {"current": "hello"},
		"authors": [{"name": "Ada", "_ref": "person.ada", "roles": ["editor"]}, {"name": "Linus"}],
		"publishedAt": "2024-05-01T10:00:00Z", "flag": true, "matrix": [[1, 2], [3]],
		"body": {"children": [{"_type": "ref", "_ref": "deep.ref"}]}
	}`
	tests := []struct {
		filter string
		want   bool
	}{
		// Only exactly true selects.
		{`true`, true}, {`false`, false}, {`null`, false}, {`n`, false}, {`s`, false}, {`tags`, false}, {`flag`, true},
		// Missing attributes are null; == and != never yield null.
		{`missing == null`, true}, {`z == null`, true}, {`missing != null`, false}, {`n != "3"`, true},
		{`n == "3"`, false}, {`s == 3`, false}, {`defined(z)`, false}, {`defined(missing)`, false}, {`defined(n)`, true},
		// Ordering across types or with null is null, so neither it nor its negation selects.
		{`n > "2"`, false}, {`!(n > "2")`, false}, {`n > null`, false}, {`!(n > null)`, false},
		{`n > 2`, true}, {`"b" > "a"`, true}, {`true > false`, true}, {`[1] < [2]`, false},
		// Three-valued logic.
		{`null || true`, true}, {`null && false`, false}, {`!(null && true)`, false}, {`!(null || false)`, false},
		{`!null`, false}, {`!n`, false}, {`!flag == false`, true},
		// Precedence and associativity.
		{`1 + 2 * 3 == 7`, true}, {`2 ** 3 ** 2 == 512`, true}, {`-2 ** 2 == -4`, true}, {`10 - 4 - 3 == 3`, true},
		{`true || false && false`, true}, {`(true || false) && false`, false}, {`7 % 4 == 3`, true}, {`-n == -3`, true},
		// Arithmetic over the wrong types is null; so is division by zero.
		{`n + "1" == null`, true}, {`"a" + "b" == "ab"`, true}, {`[1] + [2] == null`, false},
		{`count([1] + [2]) == 2`, true}, {`1 / 0 == null`, true}, {`({"a": 1} + {"b": 2}).b == 2`, true},
		// Paths, element access and slices.
		{`slug.current == "hello"`, true}, {`slug["current"] == "hello"`, true}, {`tags[0] == "news"`, true},
		{`tags[-1] == 3`, true}, {`tags[9] == null`, true}, {`count(tags[1..2]) == 2`, true}, {`count(tags[1...2]) == 1`, true},
		{`matrix[0][1] == 2`, true}, {`count(matrix[][]) == 2`, true}, {`count(matrix[][0]) == 2`, true}, {`authors[1].name == "Linus"`, true},
		{`"Ada" in authors[].name`, true}, {`"editor" in authors[].roles[]`, true}, {`count(authors[].roles) == 2`, true},
		// Filters, @ and ^.
		{`count(tags[@ == "news"]) == 1`, true}, {`count(authors[defined(_ref)]) == 1`, true},
		{`count(authors[^._type == "post"]) == 2`, true}, {`^ == null`, true}, {`@.n == 3`, true},
		// in: arrays, ranges and paths.
		{`"news" in tags`, true}, {`null in tags`, true}, {`n in [1, 2, 3]`, true}, {`n in 1..3`, true}, {`n in 1...3`, false},
		{`"b" in "a".."c"`, true}, {`_id in path("drafts.**")`, true}, {`_id in path("drafts.*")`, true},
		{`_id in path("*")`, false}, {`n in path("*")`, false}, {`!(n in path("*"))`, false},
		// match.
		{`title match "hello"`, true}, {`title match "WORLD"`, true}, {`title match "wor*"`, true}, {`title match "hello moon"`, false},
		{`tags match "tech"`, true}, {`title match ["hello", "world"]`, true}, {`title match null`, false}, {`n match "3"`, false},
		// Functions.
		{`count(tags) == 4`, true}, {`length(title) == 12`, true}, {`coalesce(missing, z, n) == 3`, true},
		{`select(n > 5 => "a", n > 2 => "b", "c") == "b"`, true}, {`references("person.ada")`, true},
		{`references("deep.ref")`, true}, {`references("nobody")`, false}, {`lower(title) == "hello, world"`, true},
		{`upper(title) == "HELLO, WORLD"`, true}, {`round(2.5) == 3`, true}, {`round(-2.5) == -3`, true},
		{`round(1.2345, 2) == 1.23`, true}, {`round(1, 101) == null`, true}, {`string(n) == "3"`, true},
		{`string(1.5e21) == "1.5e+21"`, true}, {`string::startsWith(_id, "drafts.")`, true},
		{`string::split("a,b", ",")[1] == "b"`, true}, {`count(array::unique([1, 1, "1"])) == 2`, true},
		{`count(array::compact(tags)) == 3`, true}, {`array::join(["a", 1, true], "-") == "a-1-true"`, true},
		{`math::sum([1, 2, null]) == 3`, true}, {`math::avg([1, 2]) == 1.5`, true}, {`math::min(tags) == null`, true},
		{`math::max([1, 5, 2]) == 5`, true}, {`global::count(tags) == 4`, true}, {`global::string(n) == "3"`, true},
		// Datetimes.
		{`dateTime(publishedAt) < dateTime(now())`, true}, {`dateTime(publishedAt) == dateTime("2024-05-01T12:00:00+02:00")`, true},
		{`dateTime(now()) - dateTime(publishedAt) == 2685600`, true}, {`dateTime(publishedAt) + 60 > dateTime(publishedAt)`, true},
		{`now() == "2024-06-01T12:00:00.000Z"`, true}, {`dateTime("2024-05-01") == null`, true},
		{`string(dateTime(publishedAt) + 0.5) == "2024-05-01T10:00:00.500Z"`, true}, {`dateTime::now() > dateTime(publishedAt)`, true},
		// Objects and projections inside a filter.
		{`{"a": n}.a == 3`, true}, {`slug{current}.current == "hello"`, true}, {`authors[0]{name}.name == "Ada"`, true},
		// Ordering inside a filter.
		{`(tags[0...2] | order(@ desc))[0] == "tech"`, true}, {`(authors | order(name desc))[0].name == "Linus"`, true},
		// Strings and escapes.
		{`"a\tb" == "a	b"`, true}, {`"\u00e9" == "é"`, true}, {`"\ud83d\ude00" == "😀"`, true}, {`'\'' == "'"`, true},
	}
	for _, tt := range tests {
		f, err := Compile("*["+tt.filter+"]", nil)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if got := f.MatchAt(decode(t, doc), semanticsNow); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestParams(t *testing.T) {
	params := map[string]any{"type": "post", "types": []any{"post", "page"}, "min": 2.0, "i": 1.0, "nul": nil}
	doc := decode(t, `{"_type": "post", "n": 3, "tags": ["a", "b"]}`)
	for _, filter := range []string{`_type == $type`, `_type in $types`, `n > $min`, `tags[$i] == "b"`, `$nul == null`, `count(tags[0..$i]) == 2`} {
		f, err := Compile("*["+filter+"]", params)
		if err != nil {
			t.Fatalf("%s: %v", filter, err)
		}
		if !f.Match(doc) {
			t.Errorf("%s: does not match", filter)
		}
	}
	f, err := Compile(`*[_type in $types]`, params)
	if err != nil {
		t.Fatal(err)
	}
	params["types"].([]any)[0] = "changed"
	if !f.Match(doc) {
		t.Error("changing params after Compile changed the filter")
	}
	_, err = Compile(`*[_type == $typ]`, params)
	var e *Error
	if err == nil || !asError(err, &e) || e.Pos != 11 || e.Msg != "unknown parameter $typ" {
		t.Errorf("unknown parameter: got %v", err)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}

// TestMatchUsesTheCallTime checks that Match evaluates now() at the time of the call.
func TestMatchUsesTheCallTime(t *testing.T) {
	f, err := Compile(`*[dateTime(publishedAt) < dateTime(now())]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	past := decode(t, `{"publishedAt": "2001-01-01T00:00:00Z"}`)
	future := decode(t, `{"publishedAt": "2999-01-01T00:00:00Z"}`)
	if !f.Match(past) || f.Match(future) {
		t.Errorf("Match(past) = %v, Match(future) = %v", f.Match(past), f.Match(future))
	}
	if f.MatchAt(past, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("MatchAt ignores its time")
	}
}

// TestMatchOddDocuments checks documents encoding/json cannot produce: Match must not
// panic, and reads what it understands.
func TestMatchOddDocuments(t *testing.T) {
	f, err := Compile(`*[n == 3 && count(tags) == 2 && defined(x)]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Match(nil) {
		t.Error("nil document matched")
	}
	doc := map[string]any{"n": 3, "tags": []string{"a", "b"}, "x": struct{}{}}
	if f.Match(doc) {
		t.Error("[]string and struct values are not JSON arrays or values")
	}
	doc = map[string]any{"n": int64(3), "tags": []any{"a", "b"}, "x": json.Number("1")}
	if !f.Match(doc) {
		t.Error("int64 and json.Number are numbers")
	}
}
