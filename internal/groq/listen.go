package groq

// This file checks the shape of a listen query: `*[filter]`, optionally followed by
// parts that a listen ignores (projection, order(), slice).

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
