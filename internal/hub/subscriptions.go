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

// subscription is one query of one client, keyed in the client's map by the
// query text. Its compiled filter is shared with every other subscription of
// the dataset with the same text and params.
type subscription struct {
	client *Client
	shared *sharedFilter
	// pos is the subscription's index in shared.subs; -1 once removed.
	pos int
}

// sharedFilter is one compiled query with its subscribers: a change
// evaluates it once, however many clients subscribed to it. It lives while
// it has subscribers.
type sharedFilter struct {
	key    string // query text and canonical params (filterKey)
	query  string
	filter Filter
	types  []string
	subs   []*subscription
	// evaluated is the seq of the last change this filter was evaluated
	// against, so that a filter indexed under two types is evaluated once.
	// Guarded by ds.pubMu.
	evaluated uint64
}

// subscriptionIndex finds, for a document type, the filters that could
// match it, so that a change evaluates only those, each once.
type subscriptionIndex struct {
	filters map[string]*sharedFilter
	byType  map[string]map[*sharedFilter]struct{}
	anyType map[*sharedFilter]struct{}
	count   int // subscriptions
}

func newSubscriptionIndex() subscriptionIndex {
	return subscriptionIndex{
		filters: make(map[string]*sharedFilter),
		byType:  make(map[string]map[*sharedFilter]struct{}),
		anyType: make(map[*sharedFilter]struct{}),
	}
}

// lookup returns the filter compiled for key, if any subscription holds it.
func (ix *subscriptionIndex) lookup(key string) *sharedFilter { return ix.filters[key] }

// newSubscription subscribes c to the filter f, compiled for key, or to the
// one already shared under key.
func (ix *subscriptionIndex) newSubscription(c *Client, key, query string, f Filter) *subscription {
	sf := ix.filters[key]
	if sf == nil {
		sf = &sharedFilter{key: key, query: query, filter: f, types: f.Types()}
		ix.filters[key] = sf
		ix.indexFilter(sf)
	}
	s := &subscription{client: c, shared: sf, pos: len(sf.subs)}
	sf.subs = append(sf.subs, s)
	ix.count++
	return s
}

// remove ends s; the last subscription of a filter frees it.
func (ix *subscriptionIndex) remove(s *subscription) {
	if s.pos < 0 {
		return // removed already: never take another subscriber's place
	}
	sf := s.shared
	last := len(sf.subs) - 1
	moved := sf.subs[last]
	sf.subs[s.pos] = moved
	moved.pos = s.pos
	sf.subs[last] = nil
	sf.subs = sf.subs[:last]
	s.pos = -1
	ix.count--
	if len(sf.subs) > 0 {
		if cap(sf.subs) > 64 && len(sf.subs) < cap(sf.subs)/4 {
			sf.subs = append([]*subscription(nil), sf.subs...) // most left: give the memory back
		}
		return
	}
	delete(ix.filters, sf.key)
	if sf.types == nil {
		delete(ix.anyType, sf)
		return
	}
	for _, t := range sf.types {
		if set, ok := ix.byType[t]; ok {
			delete(set, sf)
			if len(set) == 0 {
				delete(ix.byType, t)
			}
		}
	}
}

func (ix *subscriptionIndex) indexFilter(sf *sharedFilter) {
	if sf.types == nil {
		ix.anyType[sf] = struct{}{}
		return
	}
	for _, t := range sf.types {
		set, ok := ix.byType[t]
		if !ok {
			set = make(map[*sharedFilter]struct{})
			ix.byType[t] = set
		}
		set[sf] = struct{}{}
	}
}
