package groq

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

const typicalQuery = `*[_type == "post" && defined(slug.current) && !(_id in path("drafts.**")) && publishedAt > "2024" && "news" in tags]`

const typicalDoc = `{"_id": "p1", "_type": "post", "title": "Hello", "slug": {"current": "hello"},
	"publishedAt": "2024-05-01T10:00:00Z", "tags": ["tech", "news"], "n": 3,
	"authors": [{"_ref": "person.ada"}, {"_ref": "person.linus"}]}`

// TestMatchDoesNotAllocate holds the promise that comparing attributes with literals
// allocates nothing per document.
func TestMatchDoesNotAllocate(t *testing.T) {
	doc := decode(t, typicalDoc)
	for _, q := range []string{
		typicalQuery,
		`*[_type in ["post", "page"] && n >= 2 && n < 10 && title != null && !(n in 5..9)]`,
		`*[slug["current"] == "hello" && tags[0] == "tech" && count(tags) == 2 && length(title) > 1]`,
		`*[_type == $type && coalesce(missing, n) == 3 || defined(authors[1]._ref)]`,
	} {
		f, err := Compile(q, map[string]any{"type": "post"})
		if err != nil {
			t.Fatal(err)
		}
		if !f.Match(doc) {
			t.Fatalf("%s: does not match", q)
		}
		if n := testing.AllocsPerRun(100, func() { f.Match(doc) }); n != 0 {
			t.Errorf("%s: %v allocations per Match, want 0", q, n)
		}
	}
}

// TestConcurrentMatch runs one filter from many goroutines (meaningful under -race).
func TestConcurrentMatch(t *testing.T) {
	f, err := Compile(`*[_type == "post" && count(tags[@ match "n*"]) > 0 && dateTime(publishedAt) < dateTime(now())]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := decode(t, typicalDoc)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if !f.Match(doc) {
					errs <- "no match"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestIndex(t *testing.T) {
	ix := NewIndex[string]()
	add := func(key, q string) {
		f, err := Compile(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Add(key, f)
	}
	add("posts", `*[_type == "post"]`)
	add("pages", `*[_type in ["page", "post"] && n > 1]`)
	add("any", `*[n > 1]`)
	add("none", `*[_type == "post" && _type == "page"]`)
	matches := func(doc string) []string {
		got := ix.AppendMatches(nil, decode(t, doc), time.Now())
		sortStrings(got)
		return got
	}
	if got := fmt.Sprint(matches(`{"_type": "post", "n": 2}`)); got != "[any pages posts]" {
		t.Errorf("post: %s", got)
	}
	if got := fmt.Sprint(matches(`{"_type": "page", "n": 0}`)); got != "[]" {
		t.Errorf("page: %s", got)
	}
	if got := fmt.Sprint(matches(`{"n": 5}`)); got != "[any]" {
		t.Errorf("untyped: %s", got)
	}
	add("posts", `*[_type == "page"]`) // replaces
	ix.Remove("any")
	ix.Remove("unknown")
	if got := fmt.Sprint(matches(`{"_type": "page", "n": 5}`)); got != "[pages posts]" {
		t.Errorf("after replace and remove: %s", got)
	}
	if ix.Len() != 3 {
		t.Errorf("Len() = %d, want 3", ix.Len())
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(typicalQuery, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	f, err := Compile(typicalQuery, nil)
	if err != nil {
		b.Fatal(err)
	}
	doc := decode(b, typicalDoc)
	b.ReportAllocs()
	for b.Loop() {
		if !f.Match(doc) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkMatchArrayFilter(b *testing.B) {
	f, err := Compile(`*[_type == "post" && count(authors[_ref in ["person.ada", "x"]]) > 0 && title match "hel*"]`, nil)
	if err != nil {
		b.Fatal(err)
	}
	doc := decode(b, typicalDoc)
	b.ReportAllocs()
	for b.Loop() {
		if !f.Match(doc) {
			b.Fatal("no match")
		}
	}
}

// manyFilters compiles n filters over 100 document types, as a hub with many
// subscriptions would hold them.
func manyFilters(b *testing.B, n int) []*Filter {
	r := rand.New(rand.NewPCG(1, 2))
	filters := make([]*Filter, n)
	for i := range filters {
		var q string
		switch i % 4 {
		case 0:
			q = fmt.Sprintf(`*[_type == "type%d" && defined(slug.current)]`, r.IntN(100))
		case 1:
			q = fmt.Sprintf(`*[_type in ["type%d", "type%d"] && !(_id in path("drafts.**"))]`, r.IntN(100), r.IntN(100))
		case 2:
			q = fmt.Sprintf(`*[_type == "type%d" && n > %d]`, r.IntN(100), r.IntN(10))
		default:
			q = fmt.Sprintf(`*[_type == "type%d" && "tag%d" in tags]`, r.IntN(100), r.IntN(5))
		}
		f, err := Compile(q, nil)
		if err != nil {
			b.Fatal(err)
		}
		filters[i] = f
	}
	return filters
}

func eventDoc(b *testing.B) map[string]any {
	return decode(b, `{"_id": "d1", "_type": "type42", "slug": {"current": "x"}, "n": 5, "tags": ["tag1", "tag3"]}`)
}

// BenchmarkMatch10kFiltersScan matches one event against 10,000 filters, one by one.
func BenchmarkMatch10kFiltersScan(b *testing.B) {
	filters := manyFilters(b, 10000)
	doc := eventDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, f := range filters {
			if f.Match(doc) {
				n++
			}
		}
		if n == 0 {
			b.Fatal("nothing matched")
		}
	}
}

// BenchmarkMatch10kFiltersIndex matches one event against the same filters through an
// Index, which only evaluates the filters that can match the event's _type.
func BenchmarkMatch10kFiltersIndex(b *testing.B) {
	ix := NewIndex[int]()
	for i, f := range manyFilters(b, 10000) {
		ix.Add(i, f)
	}
	doc := eventDoc(b)
	var keys []int
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		keys = ix.AppendMatches(keys[:0], doc, now)
		if len(keys) == 0 {
			b.Fatal("nothing matched")
		}
	}
}
