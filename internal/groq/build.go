package groq

import "time"

// This file turns the syntax tree into evaluation nodes. It follows groq-js's builder:
// traversals combine into attribute access, element access, filters, maps and flat maps
// by the same rules; constant brackets become element or attribute access; everything
// groq-js rejects when it builds a query (unknown functions, wrong arity, bad object
// keys, non-constant slices, ...) is rejected here too, with a position.

type builder struct {
	params map[string]any
	// strict is set while building the filter itself, where constructs that need other
	// documents or the dataset (`*`, `->`, ...) are rejected. Trailing projections and
	// orderings are built leniently: only checked, never evaluated.
	strict bool
}

func (b *builder) build(x Expr) (node, *Error) {
	switch x := x.(type) {
	case *Literal:
		return &constNode{v: x.Val}, nil
	case *Everything:
		if b.strict {
			return nil, unsupportedf(x.At, "* (the whole dataset) cannot be used inside a listen filter")
		}
		return everythingNode{}, nil
	case *This:
		return thisNode{}, nil
	case *Parent:
		return &parentNode{n: x.N}, nil
	case *Param:
		v, ok := b.params[x.Name]
		if !ok {
			return nil, unsupportedf(x.At, "unknown parameter $"+x.Name)
		}
		return &constNode{v: fromAny(deepCopy(v))}, nil
	case *Ident:
		return &attrNode{name: x.Name}, nil
	case *ArrayLit:
		return b.array(x)
	case *ObjectLit:
		return b.object(x)
	case *Group:
		inner, err := b.build(x.X)
		if err != nil {
			return nil, err
		}
		return &groupNode{x: inner}, nil
	case *Tuple:
		return nil, unsupportedf(x.At, "tuples are not supported")
	case *Unary:
		return b.unary(x)
	case *Binary:
		return b.binary(x)
	case *Pair:
		return nil, errorf(x.At, "unexpected =>")
	case *InRange:
		v, err := b.build(x.X)
		if err != nil {
			return nil, err
		}
		lo, err := b.build(x.Lo)
		if err != nil {
			return nil, err
		}
		hi, err := b.build(x.Hi)
		if err != nil {
			return nil, err
		}
		return &inRangeNode{x: v, lo: lo, hi: hi, inclusive: x.Inclusive}, nil
	case *Call:
		return b.call(x)
	case *Pipe:
		return b.pipe(x)
	case *Order:
		if x.Desc {
			return nil, errorf(x.At, "unexpected desc (only valid in order())")
		}
		return nil, errorf(x.At, "unexpected asc (only valid in order())")
	case *Chain:
		return b.chain(x)
	}
	return nil, errorf(x.Pos(), "unsupported expression")
}

func (b *builder) array(x *ArrayLit) (node, *Error) {
	n := &arrayNode{}
	constant := true
	for _, el := range x.Elems {
		v, err := b.build(el.X)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, arrayElem{splat: el.Splat, x: v})
		constant = constant && isConstant(v)
	}
	if constant {
		return fold(n), nil
	}
	return n, nil
}

func isConstant(n node) bool {
	switch n.(type) {
	case *constNode, *foldedNode:
		return true
	}
	return false
}

func allConstant(ns []node) bool {
	for _, n := range ns {
		if !isConstant(n) {
			return false
		}
	}
	return true
}

// fold evaluates a node of constants once, at compile time.
func fold(n node) node {
	e := &evaluator{}
	return &foldedNode{v: n.eval(e, e.reset(nullValue, time.Time{}))}
}

func (b *builder) object(x *ObjectLit) (node, *Error) {
	n := &objectNode{}
	for _, en := range x.Entries {
		switch {
		case en.Splat && en.X == nil:
			n.entries = append(n.entries, objectEntry{kind: entrySplat, val: thisNode{}})
		case en.Splat:
			v, err := b.build(en.X)
			if err != nil {
				return nil, err
			}
			n.entries = append(n.entries, objectEntry{kind: entrySplat, val: v})
		case en.HasKey:
			v, err := b.build(en.X)
			if err != nil {
				return nil, err
			}
			n.entries = append(n.entries, objectEntry{kind: entryValue, name: en.Key, val: v})
		default:
			if pair, ok := en.X.(*Pair); ok {
				cond, err := b.build(pair.L)
				if err != nil {
					return nil, err
				}
				v, err := b.build(pair.R)
				if err != nil {
					return nil, err
				}
				n.entries = append(n.entries, objectEntry{kind: entryCond, cond: cond, val: v})
				continue
			}
			v, err := b.build(en.X)
			if err != nil {
				return nil, err
			}
			name, ok := propertyKey(v)
			if !ok {
				return nil, errorf(en.At, "cannot determine the property key of this object entry; write \"key\": value")
			}
			n.entries = append(n.entries, objectEntry{kind: entryValue, name: name, val: v})
		}
	}
	return n, nil
}

// deepCopy copies the maps and slices of a parameter, so that a compiled filter does not
// change (or race) when the caller reuses its params.
func deepCopy(x any) any {
	switch t := x.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[k] = deepCopy(v)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = deepCopy(v)
		}
		return out
	}
	return x
}

// propertyKey derives the key of an object entry written without one, as groq-js does.
func propertyKey(n node) (string, bool) {
	switch n := n.(type) {
	case *attrNode:
		if n.base == nil {
			return n.name, true
		}
	case *groupNode:
		return propertyKey(n.x)
	case *elemNode:
		return propertyKey(n.base)
	case *sliceNode:
		return propertyKey(n.base)
	case *filterNode:
		return propertyKey(n.base)
	case *coerceNode:
		return propertyKey(n.base)
	case *mapNode:
		return propertyKey(n.base)
	case *projectionNode:
		return propertyKey(n.base)
	case *derefNode:
		return propertyKey(n.base)
	case *orderNode:
		return propertyKey(n.base)
	}
	return "", false
}

func (b *builder) unary(x *Unary) (node, *Error) {
	v, err := b.build(x.X)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case "!":
		return &notNode{x: v}, nil
	case "-":
		return &signNode{x: v, neg: true}, nil
	default:
		return &signNode{x: v}, nil
	}
}

func (b *builder) binary(x *Binary) (node, *Error) {
	l, err := b.build(x.L)
	if err != nil {
		return nil, err
	}
	r, err := b.build(x.R)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case "&&":
		return &andNode{l: l, r: r}, nil
	case "||":
		return &orNode{l: l, r: r}, nil
	case "==", "!=":
		if n, ok := attrEq(l, r, x.Op == "!="); ok {
			return n, nil
		}
		if n, ok := attrEq(r, l, x.Op == "!="); ok {
			return n, nil
		}
		return &eqNode{l: l, r: r, not: x.Op == "!="}, nil
	case "<":
		return &cmpNode{l: l, r: r, op: opLT}, nil
	case "<=":
		return &cmpNode{l: l, r: r, op: opLE}, nil
	case ">":
		return &cmpNode{l: l, r: r, op: opGT}, nil
	case ">=":
		return &cmpNode{l: l, r: r, op: opGE}, nil
	case "in":
		return &inNode{l: l, r: r}, nil
	case "match":
		return &matchNode{l: l, r: r}, nil
	case "**":
		return &arithNode{l: l, r: r, op: 'p'}, nil
	default:
		return &arithNode{l: l, r: r, op: x.Op[0]}, nil
	}
}

// attrEq specializes `attribute == literal` where the attribute is read from the
// current value and the literal is a scalar.
func attrEq(attr, lit node, not bool) (node, bool) {
	a, ok := attr.(*attrNode)
	if !ok {
		return nil, false
	}
	if _, this := a.base.(thisNode); a.base != nil && !this {
		return nil, false
	}
	var v value
	switch c := lit.(type) {
	case *constNode:
		v = c.v
	case *foldedNode:
		v = c.v
	default:
		return nil, false
	}
	switch v.k {
	case kindNull, kindBool, kindNumber, kindString:
		return &attrEqNode{name: a.name, v: v, not: not}, true
	}
	return nil, false
}

func (b *builder) call(x *Call) (node, *Error) {
	if x.Namespace == "global" && x.Name == "select" {
		return b.selectCall(x)
	}
	fn, ok := functions[x.Namespace+"::"+x.Name]
	if !ok {
		if !knownNamespace(x.Namespace) {
			return nil, errorf(x.At, "unknown namespace "+x.Namespace)
		}
		return nil, errorf(x.At, "unknown function "+qualified(x))
	}
	if fn.arity != nil && !fn.arity(len(x.Args)) {
		return nil, errorf(x.At, "wrong number of arguments to "+qualified(x)+"()")
	}
	if x.Namespace == "global" && x.Name == "boost" {
		return nil, errorf(x.At, "boost() is only valid inside score()")
	}
	if fn.impl == nil && (b.strict || x.Namespace == "diff" || x.Namespace == "delta") {
		return nil, unsupportedf(x.At, qualified(x)+"() is not supported in listen filters")
	}
	args := make([]node, len(x.Args))
	for i, a := range x.Args {
		n, err := b.build(a)
		if err != nil {
			return nil, err
		}
		args[i] = n
	}
	n := &callNode{name: qualified(x), fn: fn.impl, args: args}
	if fn.impl == nil {
		n.fn = func(*evaluator, int, []node) value { return nullValue }
	}
	if fn.pure && allConstant(args) {
		return fold(n), nil
	}
	return n, nil
}

func qualified(x *Call) string {
	if x.Namespace == "global" {
		return x.Name
	}
	return x.Namespace + "::" + x.Name
}

func (b *builder) selectCall(x *Call) (node, *Error) {
	n := &selectNode{}
	for _, a := range x.Args {
		if n.fallback != nil {
			return nil, errorf(a.Pos(), "unexpected argument to select() after its fallback")
		}
		if pair, ok := a.(*Pair); ok {
			cond, err := b.build(pair.L)
			if err != nil {
				return nil, err
			}
			v, err := b.build(pair.R)
			if err != nil {
				return nil, err
			}
			n.alts = append(n.alts, selectAlt{cond: cond, val: v})
			continue
		}
		v, err := b.build(a)
		if err != nil {
			return nil, err
		}
		n.fallback = v
	}
	return n, nil
}

func (b *builder) pipe(x *Pipe) (node, *Error) {
	base, err := b.build(x.Base)
	if err != nil {
		return nil, err
	}
	c := x.Call
	if c.Namespace != "global" {
		return nil, errorf(c.At, "unknown namespace "+c.Namespace)
	}
	switch c.Name {
	case "order":
		if len(c.Args) == 0 {
			return nil, errorf(c.At, "wrong number of arguments to order()")
		}
		n := &orderNode{base: base}
		for _, a := range c.Args {
			desc := false
			if o, ok := a.(*Order); ok {
				a, desc = o.X, o.Desc
			}
			key, err := b.build(a)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, orderKey{x: key, desc: desc})
		}
		return n, nil
	case "score":
		return nil, unsupportedf(c.At, "score() is not supported in listen queries")
	}
	return nil, errorf(c.At, "unknown pipe function "+c.Name)
}

// trav is a partly built traversal, as in groq-js: kind says whether it consumes and
// produces a single value or an array, which decides where maps and flat maps go.
type trav struct {
	kind  travKind
	build func(node) node
}

type travKind int

const (
	travBB travKind = iota // plain in, plain out
	travBA                 // plain in, array out
	travAB                 // array in, plain out
	travAA                 // array in, array out
)

func join(a, b func(node) node) func(node) node {
	return func(base node) node { return b(a(base)) }
}

func mapOf(inner func(node) node) func(node) node {
	return func(base node) node { return &mapNode{base: base, expr: inner(thisNode{})} }
}

func flatMapOf(inner func(node) node) func(node) node {
	return func(base node) node { return &mapNode{base: base, expr: inner(thisNode{}), flat: true} }
}

func traverseArray(build func(node) node, right *trav) *trav {
	if right == nil {
		return &trav{travAA, build}
	}
	switch right.kind {
	case travAA:
		return &trav{travAA, join(build, right.build)}
	case travAB:
		return &trav{travAB, join(build, right.build)}
	case travBB:
		return &trav{travAA, join(build, mapOf(right.build))}
	default:
		return &trav{travAA, join(build, flatMapOf(right.build))}
	}
}

func traversePlain(build func(node) node, right *trav) *trav {
	if right == nil {
		return &trav{travBB, build}
	}
	if right.kind == travAA || right.kind == travBA {
		return &trav{travBA, join(build, right.build)}
	}
	return &trav{travBB, join(build, right.build)}
}

func traverseElement(build func(node) node, right *trav) *trav {
	if right == nil {
		return &trav{travAB, build}
	}
	if right.kind == travAA || right.kind == travBA {
		return &trav{travAA, join(build, right.build)}
	}
	return &trav{travAB, join(build, right.build)}
}

func traverseProjection(build func(node) node, right *trav) *trav {
	if right == nil {
		return &trav{travBB, build}
	}
	switch right.kind {
	case travAA:
		return &trav{travAA, join(mapOf(build), right.build)}
	case travAB:
		return &trav{travAB, join(mapOf(build), right.build)}
	case travBA:
		return &trav{travBA, join(build, right.build)}
	default:
		return &trav{travBB, join(build, right.build)}
	}
}

// chain builds a primary expression with its traversals.
func (b *builder) chain(x *Chain) (node, *Error) {
	base, err := b.build(x.Base)
	if err != nil {
		return nil, err
	}
	steps := make([]func(*trav) *trav, len(x.Items))
	for i, it := range x.Items {
		step, err := b.step(it)
		if err != nil {
			return nil, err
		}
		steps[i] = step
	}
	var t *trav
	for i := len(steps) - 1; i >= 0; i-- {
		t = steps[i](t)
	}
	switch x.Base.(type) {
	case *Everything, *ArrayLit, *Pipe:
		t = traverseArray(func(n node) node { return n }, t)
	}
	return t.build(base), nil
}

func (b *builder) step(it Traversal) (func(*trav) *trav, *Error) {
	switch it.Kind {
	case TravAttr:
		name := it.Name
		return func(r *trav) *trav {
			return traversePlain(func(base node) node { return &attrNode{base: base, name: name} }, r)
		}, nil
	case TravBracket:
		x, err := b.build(it.X)
		if err != nil {
			return nil, err
		}
		if v, ok := constEval(x); ok {
			switch v.k {
			case kindNumber:
				return func(r *trav) *trav {
					return traverseElement(func(base node) node { return &elemNode{base: base, index: v.n} }, r)
				}, nil
			case kindString:
				return func(r *trav) *trav {
					return traversePlain(func(base node) node { return &attrNode{base: base, name: v.s} }, r)
				}, nil
			}
		}
		return func(r *trav) *trav {
			return traverseArray(func(base node) node { return &filterNode{base: base, cond: x} }, r)
		}, nil
	case TravSlice:
		lo, err := b.build(it.Lo)
		if err != nil {
			return nil, err
		}
		hi, err := b.build(it.Hi)
		if err != nil {
			return nil, err
		}
		lv, lok := constEval(lo)
		hv, hok := constEval(hi)
		if !lok || !hok || lv.k != kindNumber || hv.k != kindNumber {
			return nil, errorf(it.At, "slicing must use constant numbers")
		}
		inclusive := it.Inclusive
		return func(r *trav) *trav {
			return traverseArray(func(base node) node {
				return &sliceNode{base: base, lo: lv.n, hi: hv.n, inclusive: inclusive}
			}, r)
		}, nil
	case TravProjection:
		obj, err := b.object(it.Object)
		if err != nil {
			return nil, err
		}
		return func(r *trav) *trav {
			return traverseProjection(func(base node) node { return &projectionNode{base: base, obj: obj} }, r)
		}, nil
	case TravDeref:
		if b.strict {
			return nil, unsupportedf(it.At, "dereferencing (->) is not supported in listen filters")
		}
		name := it.Name
		return func(r *trav) *trav {
			return traversePlain(func(base node) node {
				var n node = &derefNode{base: base}
				if name != "" {
					n = &attrNode{base: n, name: name}
				}
				return n
			}, r)
		}, nil
	case TravArray:
		return func(r *trav) *trav {
			return traverseArray(func(base node) node { return &coerceNode{base: base} }, r)
		}, nil
	}
	return nil, errorf(it.At, "a group after \".\" is only valid in a selector")
}

// constEval evaluates the expressions groq-js folds at build time (literals, parameters,
// groups, unary signs and arithmetic on those); ok is false for anything else.
func constEval(n node) (value, bool) {
	switch n := n.(type) {
	case *constNode:
		if n.v.k == kindNumber {
			return finiteNumber(n.v.n), true
		}
		return n.v, true
	case *groupNode:
		return constEval(n.x)
	case *signNode:
		v, ok := constEval(n.x)
		if !ok {
			return nullValue, false
		}
		if v.k != kindNumber {
			return nullValue, true
		}
		if n.neg {
			return finiteNumber(-v.n), true
		}
		return finiteNumber(v.n), true
	case *arithNode:
		l, ok := constEval(n.l)
		if !ok {
			return nullValue, false
		}
		r, ok := constEval(n.r)
		if !ok {
			return nullValue, false
		}
		if (l.k == kindDateTime || r.k == kindDateTime) || (n.op == '-' && l.k != kindNumber) {
			return nullValue, true
		}
		return arith(n.op, l, r), true
	}
	return nullValue, false
}
