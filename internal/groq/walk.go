package groq

// walk calls visit for n and every node below it.
func walk(n node, visit func(node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *groupNode:
		walk(n.x, visit)
	case *derefNode:
		walk(n.base, visit)
	case *attrNode:
		walk(n.base, visit)
	case *elemNode:
		walk(n.base, visit)
	case *sliceNode:
		walk(n.base, visit)
	case *filterNode:
		walk(n.base, visit)
		walk(n.cond, visit)
	case *coerceNode:
		walk(n.base, visit)
	case *mapNode:
		walk(n.base, visit)
		walk(n.expr, visit)
	case *projectionNode:
		walk(n.base, visit)
		walk(n.obj, visit)
	case *objectNode:
		for _, en := range n.entries {
			walk(en.cond, visit)
			walk(en.val, visit)
		}
	case *arrayNode:
		for _, el := range n.elems {
			walk(el.x, visit)
		}
	case *andNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *orNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *notNode:
		walk(n.x, visit)
	case *signNode:
		walk(n.x, visit)
	case *eqNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *cmpNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *inNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *inRangeNode:
		walk(n.x, visit)
		walk(n.lo, visit)
		walk(n.hi, visit)
	case *matchNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *arithNode:
		walk(n.l, visit)
		walk(n.r, visit)
	case *selectNode:
		for _, a := range n.alts {
			walk(a.cond, visit)
			walk(a.val, visit)
		}
		walk(n.fallback, visit)
	case *callNode:
		for _, a := range n.args {
			walk(a, visit)
		}
	case *orderNode:
		walk(n.base, visit)
		for _, k := range n.keys {
			walk(k.x, visit)
		}
	}
}
