package groq

import (
	"math"
	"time"
)

// This file is the evaluator: the node types of a compiled filter and how each evaluates.
// Nodes follow groq-js's evaluation tree (attribute access, element access, filter, map,
// flat map, ...), so that traversals behave exactly as the reference does.

// node is a compiled expression.
type node interface {
	eval(e *evaluator, s int) value
}

// scope is one entry of the evaluator's scope stack. parent is an index (-1 for none);
// hidden scopes (inside a map) are skipped by `^`, as in groq-js.
type scope struct {
	val    value
	parent int
	hidden bool
}

// evaluator holds the state of one evaluation. Evaluators are pooled, so their scope
// stack is reused and a match allocates nothing of its own.
type evaluator struct {
	scopes []scope
	now    time.Time
	// steps counts the array elements visited or copied; past MaxSteps the evaluation
	// gives up (exceeded) and the document does not match.
	steps    int
	exceeded bool
}

// MaxSteps bounds the work of one match: the array elements a filter may visit or copy
// for one document. Nested filters multiply (`a[b[c[...]]]`), so without a bound a
// hostile filter could hang the hub. A document that needs more does not match.
const MaxSteps = 250_000

// spend records n steps and reports whether the evaluation may go on.
func (e *evaluator) spend(n int) bool {
	e.steps += n
	if e.steps > MaxSteps {
		e.exceeded = true
	}
	return !e.exceeded
}

// reset prepares the stack for a document: scope 0 is the root (null), scope 1 the
// document, whose `^` is the root.
func (e *evaluator) reset(doc value, now time.Time) int {
	e.now = now
	e.steps, e.exceeded = 0, false
	e.scopes = append(e.scopes[:0], scope{parent: -1}, scope{val: doc})
	return 1
}

func (e *evaluator) nested(s int, v value, hidden bool) int {
	parent := s
	if e.scopes[s].hidden {
		parent = e.scopes[s].parent
	}
	e.scopes = append(e.scopes, scope{val: v, parent: parent, hidden: hidden})
	return len(e.scopes) - 1
}

func (e *evaluator) pop(s int) {
	e.scopes[s] = scope{}
	e.scopes = e.scopes[:s]
}

type constNode struct{ v value }

func (n *constNode) eval(*evaluator, int) value { return n.v }

// foldedNode is a value computed at compile time from constants (an array literal of
// constants, path("drafts.**"), ...). Unlike constNode it is not a constant to groq-js's
// build rules: `tags[string(1)]` stays a filter, as it does there.
type foldedNode struct{ v value }

func (n *foldedNode) eval(*evaluator, int) value { return n.v }

type thisNode struct{}

func (thisNode) eval(e *evaluator, s int) value { return e.scopes[s].val }

type parentNode struct{ n int }

func (n *parentNode) eval(e *evaluator, s int) value {
	for i := 0; i < n.n; i++ {
		s = e.scopes[s].parent
		if s < 0 {
			return nullValue
		}
	}
	return e.scopes[s].val
}

// everythingNode (`*`) and derefNode (`->`) may appear only in the parts of a listen query
// that are ignored; they are never evaluated.
type everythingNode struct{}

func (everythingNode) eval(*evaluator, int) value { return nullValue }

type derefNode struct{ base node }

func (*derefNode) eval(*evaluator, int) value { return nullValue }

type groupNode struct{ x node }

func (n *groupNode) eval(e *evaluator, s int) value { return n.x.eval(e, s) }

// attrNode is `name` (base nil) or `base.name`.
type attrNode struct {
	base node
	name string
}

func (n *attrNode) eval(e *evaluator, s int) value {
	var v value
	if n.base == nil {
		v = e.scopes[s].val
	} else {
		v = n.base.eval(e, s)
	}
	if v.k != kindObject {
		return nullValue
	}
	x, ok := v.object()[n.name]
	if !ok {
		return nullValue
	}
	return fromAny(x)
}

// elemNode is `base[index]` with a constant index; negative counts from the end.
type elemNode struct {
	base  node
	index float64
}

func (n *elemNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	i := n.index
	if i < 0 {
		i += float64(v.len())
	}
	if i < 0 || i >= float64(v.len()) || i != math.Trunc(i) {
		return nullValue
	}
	return v.at(int(i))
}

// sliceNode is `base[lo..hi]` or `base[lo...hi]` with constant bounds.
type sliceNode struct {
	base      node
	lo, hi    float64
	inclusive bool
}

func (n *sliceNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	length := float64(v.len())
	lo, hi := n.lo, n.hi
	if lo < 0 {
		lo += length
	}
	if hi < 0 {
		hi += length
	}
	if n.inclusive {
		hi++
	}
	lo = clampIndex(lo, length)
	hi = clampIndex(hi, length)
	if lo >= hi {
		return arrayOf([]value{})
	}
	if a, ok := v.ref.([]any); ok {
		return value{k: kindArray, ref: a[int(lo):int(hi)]}
	}
	return arrayOf(v.ref.([]value)[int(lo):int(hi)])
}

// clampIndex is the index conversion of Array.prototype.slice for a non-negative-or-
// already-adjusted bound.
func clampIndex(i, length float64) float64 {
	i = math.Trunc(i)
	if i < 0 {
		return 0
	}
	return math.Min(i, length)
}

// filterNode is `base[cond]`: the elements for which cond is true.
type filterNode struct {
	base node
	cond node
}

func (n *filterNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	out := []value{}
	for i := 0; i < v.len(); i++ {
		if !e.spend(1) {
			return nullValue
		}
		el := v.at(i)
		ns := e.nested(s, el, false)
		keep := n.cond.eval(e, ns).isTrue()
		e.pop(ns)
		if keep {
			out = append(out, el)
		}
	}
	return arrayOf(out)
}

// coerceNode is `base[]`: the array itself, or null.
type coerceNode struct{ base node }

func (n *coerceNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	return v
}

// mapNode evaluates expr for each element of base; flat also splices array results.
type mapNode struct {
	base node
	expr node
	flat bool
}

func (n *mapNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	out := make([]value, 0, v.len())
	for i := 0; i < v.len(); i++ {
		if !e.spend(1) {
			return nullValue
		}
		ns := e.nested(s, v.at(i), true)
		r := n.expr.eval(e, ns)
		e.pop(ns)
		if n.flat && r.k == kindArray {
			if !e.spend(r.len()) {
				return nullValue
			}
			for j := 0; j < r.len(); j++ {
				out = append(out, r.at(j))
			}
			continue
		}
		out = append(out, r)
	}
	return arrayOf(out)
}

// projectionNode is `base{...}`.
type projectionNode struct {
	base node
	obj  node
}

func (n *projectionNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindObject {
		return nullValue
	}
	ns := e.nested(s, v, false)
	r := n.obj.eval(e, ns)
	e.pop(ns)
	return r
}

type objectEntryKind int

const (
	entryValue objectEntryKind = iota // "name": value
	entrySplat                        // ...value
	entryCond                         // cond => value
)

type objectEntry struct {
	kind objectEntryKind
	name string
	cond node
	val  node
}

type objectNode struct{ entries []objectEntry }

func (n *objectNode) eval(e *evaluator, s int) value {
	out := make(map[string]any, len(n.entries))
	for _, en := range n.entries {
		switch en.kind {
		case entryValue:
			out[en.name] = en.val.eval(e, s).toAny()
		case entryCond:
			if c := en.cond.eval(e, s); c.k != kindBool || !c.b {
				continue
			}
			fallthrough
		case entrySplat:
			if v := en.val.eval(e, s); v.k == kindObject {
				for k, x := range v.object() {
					out[k] = x
				}
			}
		}
	}
	return objectValue(out)
}

type arrayElem struct {
	splat bool
	x     node
}

type arrayNode struct{ elems []arrayElem }

func (n *arrayNode) eval(e *evaluator, s int) value {
	out := make([]value, 0, len(n.elems))
	for _, el := range n.elems {
		v := el.x.eval(e, s)
		if !el.splat {
			out = append(out, v)
			continue
		}
		if v.k == kindArray {
			if !e.spend(v.len()) {
				return nullValue
			}
			for i := 0; i < v.len(); i++ {
				out = append(out, v.at(i))
			}
		}
	}
	return arrayOf(out)
}

type andNode struct{ l, r node }

func (n *andNode) eval(e *evaluator, s int) value {
	l := n.l.eval(e, s)
	if l.k == kindBool && !l.b {
		return falseValue
	}
	r := n.r.eval(e, s)
	if r.k == kindBool && !r.b {
		return falseValue
	}
	if l.k != kindBool || r.k != kindBool {
		return nullValue
	}
	return trueValue
}

type orNode struct{ l, r node }

func (n *orNode) eval(e *evaluator, s int) value {
	l := n.l.eval(e, s)
	if l.isTrue() {
		return trueValue
	}
	r := n.r.eval(e, s)
	if r.isTrue() {
		return trueValue
	}
	if l.k != kindBool || r.k != kindBool {
		return nullValue
	}
	return falseValue
}

type notNode struct{ x node }

func (n *notNode) eval(e *evaluator, s int) value {
	v := n.x.eval(e, s)
	if v.k != kindBool {
		return nullValue
	}
	return boolValue(!v.b)
}

// signNode is unary minus (neg) or plus.
type signNode struct {
	x   node
	neg bool
}

func (n *signNode) eval(e *evaluator, s int) value {
	v := n.x.eval(e, s)
	if v.k != kindNumber {
		return nullValue
	}
	if n.neg {
		return finiteNumber(-v.n)
	}
	return finiteNumber(v.n)
}

// eqNode is == (or != with not set).
type eqNode struct {
	l, r node
	not  bool
}

func (n *eqNode) eval(e *evaluator, s int) value {
	return boolValue(equal(n.l.eval(e, s), n.r.eval(e, s)) != n.not)
}

// attrEqNode is `name == literal` (or !=) on the current value: the most common test of
// a filter, evaluated without building values.
type attrEqNode struct {
	name string
	v    value // null, boolean, number or string
	not  bool
}

func (n *attrEqNode) eval(e *evaluator, s int) value {
	x, ok := e.scopes[s].val.object()[n.name]
	var eq bool
	switch {
	case !ok || x == nil:
		eq = n.v.k == kindNull
	case n.v.k == kindString:
		str, isString := x.(string)
		eq = isString && str == n.v.s
	default:
		eq = equal(fromAny(x), n.v)
	}
	return boolValue(eq != n.not)
}

type cmpOp int

const (
	opLT cmpOp = iota
	opLE
	opGT
	opGE
)

type cmpNode struct {
	l, r node
	op   cmpOp
}

func (n *cmpNode) eval(e *evaluator, s int) value {
	d, ok := compare(n.l.eval(e, s), n.r.eval(e, s))
	if !ok {
		return nullValue
	}
	switch n.op {
	case opLT:
		return boolValue(d < 0)
	case opLE:
		return boolValue(d <= 0)
	case opGT:
		return boolValue(d > 0)
	default:
		return boolValue(d >= 0)
	}
}

type inNode struct{ l, r node }

func (n *inNode) eval(e *evaluator, s int) value {
	l, r := n.l.eval(e, s), n.r.eval(e, s)
	switch r.k {
	case kindPath:
		if l.k != kindString {
			return nullValue
		}
		return boolValue(r.path().match(l.s))
	case kindArray:
		for i := 0; i < r.len(); i++ {
			if equal(l, r.at(i)) {
				return trueValue
			}
		}
		return falseValue
	}
	return nullValue
}

type inRangeNode struct {
	x, lo, hi node
	inclusive bool
}

func (n *inRangeNode) eval(e *evaluator, s int) value {
	v, lo, hi := n.x.eval(e, s), n.lo.eval(e, s), n.hi.eval(e, s)
	dl, ok := compare(v, lo)
	if !ok {
		return nullValue
	}
	dh, ok := compare(v, hi)
	if !ok {
		return nullValue
	}
	if n.inclusive {
		return boolValue(dl >= 0 && dh <= 0)
	}
	return boolValue(dl >= 0 && dh < 0)
}

type matchNode struct{ l, r node }

func (n *matchNode) eval(e *evaluator, s int) value {
	return matchText(n.l.eval(e, s), n.r.eval(e, s))
}

type arithNode struct {
	l, r node
	op   byte // + - * / % and 'p' for **
}

func (n *arithNode) eval(e *evaluator, s int) value {
	l, r := n.l.eval(e, s), n.r.eval(e, s)
	if l.k == kindArray && r.k == kindArray && !e.spend(l.len()+r.len()) {
		return nullValue
	}
	return arith(n.op, l, r)
}

func arith(op byte, l, r value) value {
	switch op {
	case '+':
		switch {
		case l.k == kindDateTime && r.k == kindNumber:
			return dateTimeValue(addSeconds(l.n, r.n))
		case l.k == kindNumber && r.k == kindDateTime:
			return dateTimeValue(addSeconds(r.n, l.n))
		case l.k == kindNumber && r.k == kindNumber:
			return finiteNumber(l.n + r.n)
		case l.k == kindString && r.k == kindString:
			return stringValue(l.s + r.s)
		case l.k == kindObject && r.k == kindObject:
			lo, ro := l.object(), r.object()
			out := make(map[string]any, len(lo)+len(ro))
			for k, x := range lo {
				out[k] = x
			}
			for k, x := range ro {
				out[k] = x
			}
			return objectValue(out)
		case l.k == kindArray && r.k == kindArray:
			out := make([]value, 0, l.len()+r.len())
			for i := 0; i < l.len(); i++ {
				out = append(out, l.at(i))
			}
			for i := 0; i < r.len(); i++ {
				out = append(out, r.at(i))
			}
			return arrayOf(out)
		}
		return nullValue
	case '-':
		switch {
		case l.k == kindDateTime && r.k == kindNumber:
			return dateTimeValue(addSeconds(l.n, -r.n))
		case l.k == kindDateTime && r.k == kindDateTime:
			return finiteNumber((l.n - r.n) / 1000)
		case l.k == kindNumber && r.k == kindNumber:
			return finiteNumber(l.n - r.n)
		}
		return nullValue
	}
	if l.k != kindNumber || r.k != kindNumber {
		return nullValue
	}
	switch op {
	case '*':
		return finiteNumber(l.n * r.n)
	case '/':
		return finiteNumber(l.n / r.n)
	case '%':
		return finiteNumber(math.Mod(l.n, r.n))
	default:
		return finiteNumber(jsPow(l.n, r.n))
	}
}

// jsPow is JavaScript's Math.pow, which differs from math.Pow for a base of ±1 and an
// infinite exponent.
func jsPow(x, y float64) float64 {
	if math.IsInf(y, 0) && math.Abs(x) == 1 {
		return math.NaN()
	}
	return math.Pow(x, y)
}

type selectAlt struct{ cond, val node }

type selectNode struct {
	alts     []selectAlt
	fallback node
}

func (n *selectNode) eval(e *evaluator, s int) value {
	for _, a := range n.alts {
		if a.cond.eval(e, s).isTrue() {
			return a.val.eval(e, s)
		}
	}
	if n.fallback != nil {
		return n.fallback.eval(e, s)
	}
	return nullValue
}

// callNode is a function call; fn receives the unevaluated arguments.
type callNode struct {
	name string
	fn   func(e *evaluator, s int, args []node) value
	args []node
}

func (n *callNode) eval(e *evaluator, s int) value { return n.fn(e, s, n.args) }
