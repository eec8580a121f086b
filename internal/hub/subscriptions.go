package hub

// Filter is a compiled live query.
type Filter interface {
	// Match reports whether the filter selects doc.
	Match(doc map[string]any) bool
	// Types returns the _type values the filter requires, or nil if it may
	// match documents of any type.
	Types() []string
}

// Compiler turns a subscription's query text and params into a Filter. A
// compile error should be a *protocol.Error (code bad_query with a
// position); any other error is reported as bad_query without one.
type Compiler func(query string, params map[string]any) (Filter, error)

// subscription is one query of one client. Its key is the query text.
type subscription struct {
	client *Client
	query  string
	filter Filter
	types  []string
}

// subscriptionIndex finds, for a document type, the subscriptions that could
// match it, so that a change evaluates only those filters.
type subscriptionIndex struct {
	byType  map[string]map[*subscription]struct{}
	anyType map[*subscription]struct{}
	count   int
}

func newSubscriptionIndex() subscriptionIndex {
	return subscriptionIndex{
		byType:  make(map[string]map[*subscription]struct{}),
		anyType: make(map[*subscription]struct{}),
	}
}

func (ix *subscriptionIndex) add(s *subscription) {
	ix.count++
	if s.types == nil {
		ix.anyType[s] = struct{}{}
		return
	}
	for _, t := range s.types {
		set, ok := ix.byType[t]
		if !ok {
			set = make(map[*subscription]struct{})
			ix.byType[t] = set
		}
		set[s] = struct{}{}
	}
}

func (ix *subscriptionIndex) remove(s *subscription) {
	ix.count--
	if s.types == nil {
		delete(ix.anyType, s)
		return
	}
	for _, t := range s.types {
		if set, ok := ix.byType[t]; ok {
			delete(set, s)
			if len(set) == 0 {
				delete(ix.byType, t)
			}
		}
	}
}
