package groq

import (
	"sync"
	"time"
)

// Filter is a compiled listen query. It is immutable and safe for concurrent use.
type Filter struct {
	query string
	conds []node // all must be true: *[a][b] keeps what both a and b keep
	types []string
	// anyType is set when the filter may match documents of any _type.
	anyType bool
	usesNow bool
}

var evaluators = sync.Pool{New: func() any { return &evaluator{scopes: make([]scope, 0, 16)} }}

// Compile parses a listen query `*[FILTER]` and binds params (JSON-decoded values:
// map[string]any, []any, string, float64, bool, nil). A trailing projection, order() or
// slice is accepted and ignored, as Sanity's listen does; anything else after the filter,
// a source other than `*`, an unknown function or parameter, and constructs a listen
// filter cannot evaluate (such as `->`) are rejected. Errors are *Error.
func Compile(query string, params map[string]any) (*Filter, error) {
	f, err := compile(query, params)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func compile(query string, params map[string]any) (*Filter, *Error) {
	x, err := parse(query)
	if err != nil {
		return nil, err
	}
	// Build the whole query first, so that everything groq-js rejects is rejected here
	// too, even in the parts of the query a listen ignores.
	b := &builder{params: params}
	if _, err := b.build(x); err != nil {
		return nil, err
	}
	filters, err := listenFilters(x, b)
	if err != nil {
		return nil, err
	}
	f := &Filter{query: query}
	b.strict = true
	for _, fx := range filters {
		n, err := b.build(fx)
		if err != nil {
			return nil, err
		}
		f.conds = append(f.conds, n)
		f.usesNow = f.usesNow || usesNow(n)
	}
	f.types, f.anyType = requiredTypes(f.conds)
	return f, nil
}

// Match reports whether doc (a JSON-decoded object: map[string]any, float64 numbers) is
// selected: whether the filter evaluates to exactly true. now() is the time of the call.
// Match never panics.
func (f *Filter) Match(doc map[string]any) bool {
	var now time.Time
	if f.usesNow {
		now = time.Now()
	}
	return f.MatchAt(doc, now)
}

// MatchAt is Match with now() and dateTime::now() evaluating to now.
func (f *Filter) MatchAt(doc map[string]any, now time.Time) (matched bool) {
	defer func() {
		if recover() != nil {
			matched = false
		}
	}()
	return f.evaluate(doc, now)
}

func (f *Filter) evaluate(doc map[string]any, now time.Time) bool {
	e := evaluators.Get().(*evaluator)
	s := e.reset(objectValue(doc), now)
	matched := true
	for _, c := range f.conds {
		if !c.eval(e, s).isTrue() || e.exceeded {
			matched = false
			break
		}
	}
	clear(e.scopes)
	evaluators.Put(e)
	return matched
}

// Types returns the _type values the filter requires (sorted), or nil if it may match a
// document of any type. A filter requires types when its top-level conjunction has
// `_type == "x"`, `_type in ["x", "y"]` or a disjunction of those; an empty, non-nil
// result means no document can match.
func (f *Filter) Types() []string {
	if f.anyType {
		return nil
	}
	return append([]string{}, f.types...)
}

// String returns the query the filter was compiled from.
func (f *Filter) String() string { return f.query }

// usesNow reports whether n calls now() or dateTime::now().
func usesNow(n node) bool {
	found := false
	walk(n, func(n node) {
		if c, ok := n.(*callNode); ok && (c.name == "now" || c.name == "dateTime::now") {
			found = true
		}
	})
	return found
}
