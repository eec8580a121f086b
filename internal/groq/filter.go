package groq

import (
	"sort"
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

// listenFilters checks that x has the shape of a listen query and returns its filters.
func listenFilters(x Expr, b *builder) ([]Expr, *Error) {
	for {
		switch t := x.(type) {
		case *Pipe:
			if t.Call.Namespace != "global" || t.Call.Name != "order" {
				return nil, unsupportedf(t.Call.At, "only | order(...) may follow the filter of a listen query")
			}
			x = t.Base
		case *Chain:
			if _, ok := t.Base.(*Everything); ok {
				return everythingFilters(t, b)
			}
			if err := ignorable(t.Items); err != nil {
				return nil, err
			}
			if _, ok := t.Base.(*Pipe); !ok {
				return nil, unsupportedf(t.Base.Pos(), "a listen query must have the form *[filter]; its source must be *")
			}
			x = t.Base
		case *Everything:
			return nil, unsupportedf(t.At, "a listen query needs a filter: *[filter]")
		default:
			return nil, unsupportedf(x.Pos(), "a listen query must have the form *[filter]")
		}
	}
}

// everythingFilters returns the filters of `*[a][b]...` and checks that only a
// projection, slice or order follows them.
func everythingFilters(c *Chain, b *builder) ([]Expr, *Error) {
	var filters []Expr
	i := 0
	for ; i < len(c.Items) && c.Items[i].Kind == TravBracket; i++ {
		it := c.Items[i]
		n, err := b.build(it.X)
		if err != nil {
			return nil, err
		}
		if v, ok := constEval(n); ok && v.k == kindNumber {
			return nil, unsupportedf(it.At, "[n] after the filter selects a single document; a listen query selects a set (a slice [a..b] is accepted and ignored)")
		} else if ok && v.k == kindString {
			return nil, unsupportedf(it.At, "a listen query selects documents, not an attribute of them")
		}
		filters = append(filters, it.X)
	}
	if len(filters) == 0 {
		return nil, unsupportedf(c.At, "a listen query must start with *[filter]")
	}
	if err := ignorable(c.Items[i:]); err != nil {
		return nil, err
	}
	return filters, nil
}

// ignorable checks that traversals after the filter only project or slice.
func ignorable(items []Traversal) *Error {
	for _, it := range items {
		switch it.Kind {
		case TravProjection, TravSlice, TravArray:
		case TravBracket:
			return unsupportedf(it.At, "a filter or element access after a projection, slice or order() is not supported in a listen query")
		case TravDeref:
			return unsupportedf(it.At, "dereferencing (->) is not supported in listen queries")
		default:
			return unsupportedf(it.At, "a listen query selects documents; only a projection, order() or a slice may follow the filter")
		}
	}
	return nil
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

// requiredTypes intersects the type sets of all conditions.
func requiredTypes(conds []node) ([]string, bool) {
	var set map[string]bool
	for _, c := range conds {
		s, ok := typesOf(c)
		if !ok {
			continue
		}
		set = intersect(set, s)
	}
	if set == nil {
		return nil, true
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out, false
}

func intersect(a, b map[string]bool) map[string]bool {
	if a == nil {
		return b
	}
	out := map[string]bool{}
	for t := range a {
		if b[t] {
			out[t] = true
		}
	}
	return out
}

// typesOf returns the _type values a document must have for n to be true, and false
// when n does not restrict the type.
func typesOf(n node) (map[string]bool, bool) {
	switch n := n.(type) {
	case *groupNode:
		return typesOf(n.x)
	case *andNode:
		l, lok := typesOf(n.l)
		r, rok := typesOf(n.r)
		switch {
		case lok && rok:
			return intersect(l, r), true
		case lok:
			return l, true
		case rok:
			return r, true
		}
	case *orNode:
		l, lok := typesOf(n.l)
		r, rok := typesOf(n.r)
		if lok && rok {
			for t := range r {
				l[t] = true
			}
			return l, true
		}
	case *eqNode:
		if n.not {
			return nil, false
		}
		if isTypeAttr(n.l) {
			return constStrings(n.r, false)
		}
		if isTypeAttr(n.r) {
			return constStrings(n.l, false)
		}
	case *inNode:
		if isTypeAttr(n.l) {
			return constStrings(n.r, true)
		}
	}
	return nil, false
}

func isTypeAttr(n node) bool {
	a, ok := n.(*attrNode)
	if !ok || a.name != "_type" {
		return false
	}
	if a.base == nil {
		return true
	}
	_, this := a.base.(thisNode)
	return this
}

// constStrings returns the strings of a constant string, or (list) of a constant array
// of strings.
func constStrings(n node, list bool) (map[string]bool, bool) {
	if g, ok := n.(*groupNode); ok {
		return constStrings(g.x, list)
	}
	if !list {
		c, ok := n.(*constNode)
		if !ok || c.v.k != kindString {
			return nil, false
		}
		return map[string]bool{c.v.s: true}, true
	}
	var elems []node
	var arr value
	switch n := n.(type) {
	case *constNode:
		arr = n.v
	case *foldedNode:
		arr = n.v
	}
	switch n := n.(type) {
	case *constNode, *foldedNode:
		if arr.k != kindArray {
			return nil, false
		}
		for i := 0; i < arr.len(); i++ {
			elems = append(elems, &constNode{v: arr.at(i)})
		}
	case *arrayNode:
		for _, el := range n.elems {
			if el.splat {
				return nil, false
			}
			elems = append(elems, el.x)
		}
	default:
		return nil, false
	}
	set := map[string]bool{}
	for _, el := range elems {
		s, ok := constStrings(el, false)
		if !ok {
			return nil, false
		}
		for t := range s {
			set[t] = true
		}
	}
	return set, true
}

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
