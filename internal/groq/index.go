package groq

import (
	"sync"
	"time"
)

// Index holds many compiled filters under keys of the caller's choice (a subscription
// id, say) and finds the ones that match a document. It uses Filter.Types so that a
// document is only evaluated against the filters that can match its _type, plus those
// that may match any type. An Index is safe for concurrent use.
type Index[K comparable] struct {
	mu      sync.RWMutex
	byType  map[string]map[K]*Filter
	anyType map[K]*Filter
	types   map[K][]string // the types each key was filed under, nil for anyType
}

// NewIndex returns an empty index.
func NewIndex[K comparable]() *Index[K] {
	return &Index[K]{
		byType:  map[string]map[K]*Filter{},
		anyType: map[K]*Filter{},
		types:   map[K][]string{},
	}
}

// Add files f under key, replacing any filter the key had.
func (ix *Index[K]) Add(key K, f *Filter) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
	types := f.Types()
	ix.types[key] = types
	if types == nil {
		ix.anyType[key] = f
		return
	}
	for _, t := range types {
		m := ix.byType[t]
		if m == nil {
			m = map[K]*Filter{}
			ix.byType[t] = m
		}
		m[key] = f
	}
}

// Remove drops the filter filed under key, if any.
func (ix *Index[K]) Remove(key K) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
}

func (ix *Index[K]) remove(key K) {
	types, ok := ix.types[key]
	if !ok {
		return
	}
	delete(ix.types, key)
	delete(ix.anyType, key)
	for _, t := range types {
		m := ix.byType[t]
		delete(m, key)
		if len(m) == 0 {
			delete(ix.byType, t)
		}
	}
}

// Len is the number of filters in the index.
func (ix *Index[K]) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.types)
}

// AppendMatches appends to dst the keys of the filters that match doc, with now() being
// now, and returns the extended slice. The order of the keys is unspecified.
func (ix *Index[K]) AppendMatches(dst []K, doc map[string]any, now time.Time) []K {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if t, ok := doc["_type"].(string); ok {
		for key, f := range ix.byType[t] {
			if f.MatchAt(doc, now) {
				dst = append(dst, key)
			}
		}
	}
	for key, f := range ix.anyType {
		if f.MatchAt(doc, now) {
			dst = append(dst, key)
		}
	}
	return dst
}
