package groq

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

var fuzzDoc = map[string]any{
	"_id": "drafts.a", "_type": "post", "title": "Hello World", "n": 3.0, "z": nil,
	"tags": []any{"a", "b", nil, 1.0}, "slug": map[string]any{"current": "x"},
	"authors":     []any{map[string]any{"name": "Ada", "_ref": "p", "roles": []any{"x"}}, "odd"},
	"publishedAt": "2024-01-01T00:00:00Z",
}

func addSeeds(f *testing.F) {
	for _, q := range []string{
		typicalQuery,
		`*[_type in ["post", "page"] && !(_id in path("drafts.**"))]{_id} | order(_id desc)[0..10]`,
		`*[count(authors[name match "ad*"].roles[]) > 0 && tags[-1] == 1]`,
		`*[select(n > 2 => "a", "b") == "a" && coalesce(z, n) == 3 && round(n / 7, 2) > 0]`,
		`*[dateTime(publishedAt) < dateTime(now()) && string::split(title, " ")[0] == "Hello"]`,
		`*[{"a": [1, ...tags]}.a[1..2] == ["a", "b"] || (tags | order(@ desc))[0] == "b"]`,
		`*["\u00e9\ud83d\ude00\t" match 'x*' || n in 1...4 || ^.^ == null]`,
		`*[(((((((((((a)))))))))))]`,
	} {
		f.Add(q, `{"_id": "x", "_type": "post", "n": 1, "tags": ["a", 2, null], "o": {"p": [[]]}}`)
	}
}

// FuzzCompile checks that compiling never panics or hangs, that every failure is an
// *Error with a position inside the query, and that a compiled filter evaluates.
func FuzzCompile(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, query string, _ string) {
		defer failIfSlow(query)()
		flt, err := Compile(query, map[string]any{"p": 1.0})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Pos < 0 || e.Pos > len(query) {
				t.Fatalf("position %d outside the query (%d bytes)", e.Pos, len(query))
			}
			return
		}
		flt.evaluate(fuzzDoc, time.Unix(0, 0))
		flt.Types()
	})
}

// FuzzMatch evaluates fuzzed filters on fuzzed documents, without Match's recover, so
// that any panic in the evaluator surfaces.
func FuzzMatch(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, query string, doc string) {
		defer failIfSlow(query)()
		flt, err := Compile(query, nil)
		if err != nil {
			return
		}
		var d map[string]any
		if json.Unmarshal([]byte(doc), &d) != nil {
			return
		}
		flt.evaluate(d, time.Unix(1700000000, 0))
	})
}

// failIfSlow crashes the fuzzing worker when one input takes more than 10 seconds, so that
// a hang is reported with its input; it returns the function that disarms it.
func failIfSlow(query string) func() {
	timer := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("hang on %q", query)) })
	return func() { timer.Stop() }
}
