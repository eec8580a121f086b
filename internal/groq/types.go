package groq

import "sort"

// This file works out Filter.Types: the _type values a filter requires, so that a hub
// (or Index) evaluates an event only against the filters that can match its type.

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
	case *attrEqNode:
		if n.name == "_type" && !n.not && n.v.k == kindString {
			return map[string]bool{n.v.s: true}, true
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
