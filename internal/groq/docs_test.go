package groq

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// testDocuments generates the documents of the differential tests: deterministic, and
// mixing what real filters trip over (missing fields, present nulls, strings where numbers
// are expected, nested objects, arrays of scalars and of objects, draft and version ids,
// valid and invalid dates). They go through encoding/json so that both sides see exactly
// what the hub decodes.
func testDocuments() []map[string]any { return generateDocuments(4) }

// generateDocuments generates 64 documents from a seed.
func generateDocuments(seed uint64) []map[string]any {
	r := rand.New(rand.NewPCG(seed, 2))
	types := []any{"post", "page", "author", "product", "event", "post", "post", nil, 42}
	titles := []any{"Hello World", "hello-world", "GROQ: the query language", "Über café", "x.y.z",
		"Release notes v2.0", "", "  spaced  out  ", "emoji 😀 inside", "Straße", "a*b", nil, 7,
		"The Quick Brown Fox", "foo.bar baz", "déjà vu", "İstanbul", "...dots...", "CamelCaseTitle"}
	tags := []any{"news", "tech", "Tech", "go", "groq", "sanity", "", nil, 3, true, "news"}
	dates := []any{"2024-01-01T00:00:00Z", "2024-06-01T12:00:00.000Z", "2024-06-01T11:59:59.999Z",
		"2023-12-31T23:59:59+02:00", "2024-02-30T10:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01",
		"not a date", "2024-06-01T12:00:00.1234Z", "2025-01-01T00:00:00-05:30", nil, 1717243200,
		"2024-01-01T24:00:00Z", "0001-01-01T00:00:00Z"}
	numbers := []any{0.0, 1.0, -1.0, 2.5, 3.0, 10.0, 100.0, 1e21, -0.5, "3", "ten", nil, true, 1e-7}
	words := []string{"alpha", "beta", "gamma", "delta", "omega", "groq", "listen", "filter", "Match", "match"}
	refs := []string{"person.a", "person.b", "cat.news", "cat.tech", "drafts.person.a"}

	pick := func(xs []any) any { return xs[r.IntN(len(xs))] }
	maybe := func(doc map[string]any, key string, p float64, v func() any) {
		switch x := r.Float64(); {
		case x < p:
			doc[key] = v()
		case x < p+0.1:
			doc[key] = nil
		}
	}
	var docs []map[string]any
	for i := 0; i < 64; i++ {
		id := fmt.Sprintf("doc%02d", i)
		switch i % 7 {
		case 1:
			id = "drafts." + id
		case 4:
			id = "versions.r1." + id
		case 5:
			id = id + ".sub"
		}
		doc := map[string]any{"_id": id}
		maybe(doc, "_type", 0.85, func() any { return pick(types) })
		maybe(doc, "title", 0.75, func() any { return pick(titles) })
		maybe(doc, "slug", 0.6, func() any {
			s := map[string]any{}
			maybe(s, "current", 0.7, func() any { return fmt.Sprintf("slug-%d", r.IntN(5)) })
			return s
		})
		maybe(doc, "tags", 0.6, func() any {
			n := r.IntN(5)
			out := make([]any, n)
			for j := range out {
				out[j] = pick(tags)
			}
			return out
		})
		maybe(doc, "n", 0.7, func() any { return pick(numbers) })
		maybe(doc, "price", 0.5, func() any { return float64(r.IntN(200)) / 4 })
		maybe(doc, "publishedAt", 0.6, func() any { return pick(dates) })
		maybe(doc, "_updatedAt", 0.8, func() any { return pick(dates[:4]) })
		maybe(doc, "featured", 0.5, func() any { return pick([]any{true, false, "true", 1.0}) })
		maybe(doc, "body", 0.5, func() any {
			n := 1 + r.IntN(6)
			s := ""
			for j := 0; j < n; j++ {
				if j > 0 {
					s += pick([]any{" ", ", ", "-", ".", " & "}).(string)
				}
				s += words[r.IntN(len(words))]
			}
			return s
		})
		maybe(doc, "authors", 0.5, func() any {
			n := r.IntN(4)
			out := make([]any, n)
			for j := range out {
				a := map[string]any{"_key": fmt.Sprintf("k%d", j)}
				maybe(a, "name", 0.8, func() any { return pick([]any{"Ada", "Linus", "grace", "Ada", 5}) })
				maybe(a, "_ref", 0.6, func() any { return refs[r.IntN(len(refs))] })
				maybe(a, "roles", 0.5, func() any { return []any{pick([]any{"editor", "writer", nil}), "staff"} })
				out[j] = a
			}
			return out
		})
		maybe(doc, "category", 0.4, func() any { return map[string]any{"_type": "reference", "_ref": refs[r.IntN(len(refs))]} })
		maybe(doc, "meta", 0.5, func() any {
			m := map[string]any{}
			maybe(m, "views", 0.7, func() any { return pick(numbers) })
			maybe(m, "nested", 0.6, func() any {
				return map[string]any{"deep": pick([]any{"x", 1.0, nil, []any{1.0, 2.0}}), "list": []any{1.0, "2", nil, 3.0}}
			})
			maybe(m, "ok", 0.5, func() any { return pick([]any{true, false, nil}) })
			return m
		})
		maybe(doc, "scores", 0.5, func() any {
			n := r.IntN(5)
			out := make([]any, n)
			for j := range out {
				out[j] = pick([]any{1.0, 2.0, 3.5, -4.0, nil, "5", 10.0})
			}
			return out
		})
		maybe(doc, "matrix", 0.2, func() any { return []any{[]any{1.0, 2.0}, []any{3.0}, []any{}, "x"} })
		maybe(doc, "empty", 0.2, func() any { return pick([]any{"", []any{}, map[string]any{}}) })
		docs = append(docs, doc)
	}
	// Round-trip through JSON so that the Go side sees exactly what a decoder produces.
	raw, err := json.Marshal(docs)
	if err != nil {
		panic(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return out
}

// testParams are the parameters every differential case is compiled with.
func testParams() map[string]any {
	var p map[string]any
	raw := `{"type": "post", "types": ["post", "page"], "n": 3, "s": "hello", "idx": 1, "neg": -1,
		"nul": null, "t": true, "obj": {"a": 1}, "ids": ["doc01", "drafts.doc01", "doc10"],
		"ref": "person.a", "date": "2024-03-01T00:00:00Z", "pattern": "gro*", "key": "title"}`
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		panic(err)
	}
	return p
}
