package groq

import "sort"

// orderNode is `base | order(key asc, key desc, ...)`: a stable sort by the keys, with
// GROQ's total order across types (datetime < number < string < boolean < the rest).
type orderNode struct {
	base node
	keys []orderKey
}

type orderKey struct {
	x    node
	desc bool
}

func (n *orderNode) eval(e *evaluator, s int) value {
	v := n.base.eval(e, s)
	if v.k != kindArray {
		return nullValue
	}
	type row struct {
		el   value
		keys []value
	}
	if !e.spend(v.len()) {
		return nullValue
	}
	rows := make([]row, v.len())
	for i := range rows {
		el := v.at(i)
		ns := e.nested(s, el, false)
		keys := make([]value, len(n.keys))
		for j, k := range n.keys {
			keys[j] = k.x.eval(e, ns)
		}
		e.pop(ns)
		rows[i] = row{el: el, keys: keys}
	}
	sort.SliceStable(rows, func(a, b int) bool {
		for j, k := range n.keys {
			c := totalCompare(rows[a].keys[j], rows[b].keys[j])
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	out := make([]value, len(rows))
	for i, r := range rows {
		out[i] = r.el
	}
	return arrayOf(out)
}

func typeRank(k kind) int {
	switch k {
	case kindDateTime:
		return 1
	case kindNumber:
		return 2
	case kindString:
		return 3
	case kindBool:
		return 4
	}
	return 100
}

func totalCompare(a, b value) float64 {
	ra, rb := typeRank(a.k), typeRank(b.k)
	if ra != rb {
		return float64(ra - rb)
	}
	d, ok := compare(a, b)
	if !ok || d != d {
		return 0
	}
	return d
}
