package infer

import (
	"maps"
	"net/http"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// write infers the change one document of a write response shows. The documents of a
// batch cannot take their id from the path.
func (e *Engine) write(q request, doc map[string]any) (Change, bool) {
	id := e.preset.id(doc)
	if id == "" && !q.many && q.method != http.MethodPost {
		id = q.last
	}
	if id == "" {
		return Change{}, false
	}
	normalize(doc)
	key := e.key(q, id)
	prev, known := e.cache.Get(key)
	if q.method == http.MethodDelete {
		return e.deleted(q, id, key, doc, prev, known), true
	}
	typ := e.preset.docType(doc)
	if typ == "" {
		typ = e.collection(q, id)
	}
	state := e.preset.state(doc)
	stamp(doc, id, typ)
	remembered := state
	if remembered == doccache.Unknown {
		remembered = prev.State
	}
	e.cache.Set(doccache.Record{Key: key, Entry: doccache.Entry{Type: typ, State: remembered, Doc: doc}})
	return Change{ID: id, Type: typ, Op: operation(q, id, prev, known, state), Doc: doc, Prev: prev.Doc}, true
}

// deleted infers a delete. Its document is the last known state overlaid with whatever
// the response showed, its type the one that document has.
func (e *Engine) deleted(q request, id string, key doccache.Key, doc map[string]any, prev doccache.Entry, known bool) Change {
	e.cache.Delete(key)
	last := doc
	if known {
		// A copy: the cached document is shared with readers of earlier changes.
		last = maps.Clone(prev.Doc)
		maps.Copy(last, doc)
	}
	if last == nil {
		last = map[string]any{}
	}
	typ := e.preset.docType(last)
	if typ == "" {
		typ = e.collection(q, id)
	}
	stamp(last, id, typ)
	return Change{ID: id, Type: typ, Op: Delete, Doc: last, Prev: prev.Doc}
}

// bodiless infers the change a write answered with no document shows: a delete of the
// document the path names, or an update of it when the cache knows it.
func (e *Engine) bodiless(q request) []Change {
	id := q.last
	if id == "" {
		return nil
	}
	switch q.method {
	case http.MethodDelete:
		key := e.key(q, id)
		prev, known := e.cache.Get(key)
		return []Change{e.deleted(q, id, key, nil, prev, known)}
	case http.MethodPut, http.MethodPatch:
		prev, known := e.cache.Get(e.key(q, id))
		if !known {
			return nil
		}
		return []Change{{ID: id, Type: prev.Type, Op: Update, Doc: prev.Doc, Prev: prev.Doc}}
	}
	return nil
}

// operation decides what a write other than a delete did.
func operation(q request, id string, prev doccache.Entry, known bool, state doccache.PublishState) Operation {
	switch {
	case q.status == http.StatusCreated, q.method == http.MethodPost && q.last != id:
		return Create
	case known && prev.State == doccache.Unpublished && state == doccache.Published:
		return Publish
	case known && prev.State == doccache.Published && state == doccache.Unpublished:
		return Unpublish
	}
	return Update
}
