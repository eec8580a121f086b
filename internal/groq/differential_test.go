package groq

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The differential tests run every filter of the corpus through groq-js (the reference
// implementation, pinned in testdata/groqjs/package.json) and through this package over
// the same generated documents, and require the same selection, document for document.
// A filter groq-js rejects must be rejected here; a few filters groq-js accepts are
// rejected here on purpose (testdata/differential/rejected.txt says why).

var differentialNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

type diffCase struct {
	Query  string         `json:"query"`
	Filter string         `json:"filter"`
	Params map[string]any `json:"params"`
}

type diffResult struct {
	OK    bool     `json:"ok"`
	IDs   []string `json:"ids"`
	Error string   `json:"error"`
}

// readCorpus reads one case per line; blank lines and lines starting with "#" are skipped.
func readCorpus(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "differential", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// generatedFilters combines operands with operators, so that every operator meets every
// kind of value (missing, null, wrong type, ...), on top of the hand-written corpus.
func generatedFilters() []string {
	operands := []string{"n", "price", "title", "_type", "publishedAt", "featured", "tags", "missing",
		"meta.views", "1", "2.5", "-1", `"3"`, `"post"`, "null", "true", "false", "[]", "{}", "$n", "$s", "$nul",
		`dateTime(publishedAt)`, `dateTime("2024-01-01T00:00:00Z")`}
	ops := []string{"==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "**", "in", "match"}
	var out []string
	for i, l := range operands {
		for j, op := range ops {
			r := operands[(i*7+j*3+1)%len(operands)]
			switch op {
			case "+", "-", "*", "/", "%", "**":
				out = append(out, l+" "+op+" "+r+" == "+r, "defined("+l+" "+op+" "+r+")")
			default:
				out = append(out, l+" "+op+" "+r)
			}
		}
	}
	return out
}

// tails are appended to some filters: a listen query may end with them.
var tails = []string{"", "{_id, title}", " | order(_id desc)", "[0..10]", " | order(n asc, title) {...}", "[]{\"t\": title}"}

func runGroqJS(t *testing.T, docs []map[string]any, cases []diffCase) []diffResult {
	t.Helper()
	dir := filepath.Join("testdata", "groqjs")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "groq-js")); err != nil {
		t.Fatalf("groq-js is not installed (%v): run `npm ci --prefix internal/groq/testdata/groqjs`", err)
	}
	input, err := json.Marshal(map[string]any{"now": differentialNow.Format(time.RFC3339Nano), "docs": docs, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join(dir, "eval.mjs"))
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) || errors.Is(err, exec.ErrNotFound) {
			t.Fatalf("node %s failed: %v\n%s", filepath.Join(dir, "eval.mjs"), err, stderr.String())
		}
		t.Fatal(err)
	}
	var results []diffResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("decoding groq-js output: %v", err)
	}
	if len(results) != len(cases) {
		t.Fatalf("groq-js answered %d cases, want %d", len(results), len(cases))
	}
	return results
}

func TestDifferentialAgainstGroqJS(t *testing.T) {
	docs := testDocuments()
	params := testParams()
	filters := append(readCorpus(t, "filters.txt"), generatedFilters()...)
	rejected := readCorpus(t, "rejected.txt")
	if len(filters) < 300 || len(docs) < 50 {
		t.Fatalf("corpus too small: %d filters over %d documents", len(filters), len(docs))
	}
	var cases []diffCase
	for i, f := range filters {
		cases = append(cases, diffCase{Query: "*[" + f + "]" + tails[i%len(tails)], Filter: f, Params: params})
	}
	for _, f := range rejected {
		cases = append(cases, diffCase{Query: "*[" + f + "]", Filter: f, Params: params})
	}
	results := runGroqJS(t, docs, cases)

	accepted, rejectedByBoth, discriminating := 0, 0, 0
	for i, c := range cases {
		want := results[i]
		f, err := Compile(c.Query, c.Params)
		intentional := i >= len(filters)
		switch {
		case intentional:
			if err == nil {
				t.Errorf("%s: compiled, but this package rejects it on purpose (groq-js: ok=%v)", c.Query, want.OK)
			}
			continue
		case !want.OK:
			if err == nil {
				t.Errorf("%s: compiled, but groq-js rejects it: %s", c.Query, want.Error)
			} else {
				rejectedByBoth++
			}
			continue
		case err != nil:
			t.Errorf("%s: %v (groq-js accepts it)", c.Query, err)
			continue
		}
		accepted++
		var got []string
		for _, d := range docs {
			if f.MatchAt(d, differentialNow) {
				got = append(got, d["_id"].(string))
			}
		}
		if want.IDs == nil {
			want.IDs = []string{}
		}
		if got == nil {
			got = []string{}
		}
		if len(want.IDs) > 0 && len(want.IDs) < len(docs) {
			discriminating++
		}
		if !slices.Equal(got, want.IDs) {
			t.Errorf("%s:\n got  %v\n want %v (groq-js)", c.Query, got, want.IDs)
		}
	}
	t.Logf("%d filters over %d documents: %d selected alike (%d selecting some but not all), %d rejected by both, %d rejected on purpose",
		len(cases), len(docs), accepted, discriminating, rejectedByBoth, len(rejected))
}

// TestDifferentialRandom compares both implementations on randomly generated filters.
// The seed is fixed so that a failure reproduces; GROQ_RANDOM_FILTERS raises the count
// for a longer exploratory run.
func TestDifferentialRandom(t *testing.T) {
	count := 1500
	if v, err := strconv.Atoi(os.Getenv("GROQ_RANDOM_FILTERS")); err == nil {
		count = v
	}
	seed := uint64(1)
	if v, err := strconv.ParseUint(os.Getenv("GROQ_RANDOM_SEED"), 10, 64); err == nil {
		seed = v
	}
	g := &exprGen{r: rand.New(rand.NewPCG(seed, 7))}
	docs := generateDocuments(seed)
	params := testParams()
	cases := make([]diffCase, count)
	for i := range cases {
		f := g.filter()
		switch i % 8 {
		case 3:
			f = g.soup()
		case 5:
			f = g.respace(f)
		}
		cases[i] = diffCase{Query: "*[" + f + "]", Filter: f, Params: params}
	}
	results := runGroqJS(t, docs, cases)
	agreed, discriminating, compiled := 0, 0, 0
	for i, c := range cases {
		want := results[i]
		if want.OK {
			compiled++
		}
		f, err := Compile(c.Query, c.Params)
		switch {
		case !want.OK && err == nil && strings.Contains(want.Error, "toFixed"):
			// round(x, p) with p > 100 makes groq-js fail while evaluating; a compiled
			// filter cannot fail, it does not match (checked in the unit tests).
			agreed++
			continue
		case !want.OK && err == nil:
			t.Errorf("%s: compiled, but groq-js rejects it: %s", c.Query, want.Error)
			continue
		case !want.OK:
			agreed++
			continue
		case err != nil && err.(*Error).unsupported:
			agreed++ // valid GROQ a listen filter cannot use
			continue
		case err != nil:
			t.Errorf("%s: %v (groq-js accepts it)", c.Query, err)
			continue
		}
		var got []string
		for _, d := range docs {
			if f.MatchAt(d, differentialNow) {
				got = append(got, d["_id"].(string))
			}
		}
		if len(got) == 0 && len(want.IDs) == 0 || slices.Equal(got, want.IDs) {
			agreed++
			if len(got) > 0 && len(got) < len(docs) {
				discriminating++
			}
			continue
		}
		t.Errorf("%s:\n got  %v\n want %v (groq-js)", c.Query, got, want.IDs)
	}
	t.Logf("%d random filters (seed %d), %d valid for groq-js: %d agreed, %d of them selecting some but not all documents",
		count, seed, compiled, agreed, discriminating)
}
