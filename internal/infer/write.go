package infer

import (
	"maps"
	"net/http"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// write infers the change one document of a write response shows. The documents of a
// batch cannot take their id from the path.
func (e *Engine) write(q request, it item) (Change, bool) {
	doc := it.doc
	id := e.docID(q, doc)
	if id == "" {
		return Change{}, false
	}
	normalize(doc)
	key := e.key(q, id, doc)
	prev, known := e.cache.Get(key)
	if q.method == http.MethodDelete || it.gone {
		return e.deleted(q, id, key, doc, it.gone, prev, known), true
	}
	typ := e.preset.docType(doc)
	if typ == "" {
		typ = e.collection(q, id)
	}
	state := e.preset.state(doc)
	switch q.route.op {
	case Publish:
		state = doccache.Published
	case Unpublish:
		state = doccache.Unpublished
	}
	// A draft written beside the published version leaves the publish state as it was.
	changed := state
	if q.route.draft {
		changed = doccache.Unknown
	}
	stamp(doc, id, typ)
	op := e.operation(q, id, prev, known, changed)
	switch wasTrashed := known && e.preset.trashed(prev.Doc); {
	case e.preset.trashed(doc) && !wasTrashed:
		op = Delete // into the trash
	case wasTrashed && !e.preset.trashed(doc):
		op = Create // out of it
	}
	remembered := changed
	if op == Create {
		remembered = state
	}
	if remembered == doccache.Unknown {
		remembered = prev.State
	}
	e.cache.Set(doccache.Record{Key: key, Entry: doccache.Entry{Type: typ, State: remembered, Doc: doc}})
	return Change{ID: id, Type: typ, Op: op, Doc: doc, Prev: prev.Doc}, true
}

// docID is a document's own id, else, for a single document, the one its path names
// (never a POST's in the generic path rules: its path names the collection).
func (e *Engine) docID(q request, doc map[string]any) string {
	id := e.preset.id(doc)
	switch {
	case q.route.idFromPath && q.route.id != "":
		return q.route.id
	case id != "", q.many:
		return id
	case q.route.exact:
		return q.route.id
	case q.method != http.MethodPost:
		return q.last
	}
	return ""
}

// deleted infers a delete. Its document is the last known state overlaid with whatever
// the response showed, its type the one that document has. A document the delete moved
// to the trash stays known, trashed, so that restoring it is a create; one that is gone
// is forgotten.
func (e *Engine) deleted(q request, id string, key doccache.Key, doc map[string]any, gone bool, prev doccache.Entry, known bool) Change {
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
	if typ == "" && known {
		typ = prev.Type
	}
	if typ == "" {
		typ = e.collection(q, id)
	}
	stamp(last, id, typ)
	if e.preset.trashed(doc) && !gone && !(known && e.preset.trashed(prev.Doc)) {
		e.cache.Set(doccache.Record{Key: key, Entry: doccache.Entry{Type: typ, State: doccache.Unpublished, Doc: last}})
	} else {
		e.cache.Delete(key)
	}
	return Change{ID: id, Type: typ, Op: Delete, Doc: last, Prev: prev.Doc}
}

// bodiless infers the change a write answered with no document shows: a delete of the
// document the path names, or an update of it when the cache knows it.
func (e *Engine) bodiless(q request) []Change {
	id := e.pathID(q)
	if id == "" {
		return nil
	}
	switch q.method {
	case http.MethodDelete:
		key := e.key(q, id, nil)
		prev, known := e.cache.Get(key)
		return []Change{e.deleted(q, id, key, nil, false, prev, known)}
	case http.MethodPut, http.MethodPatch:
		prev, known := e.cache.Get(e.key(q, id, nil))
		if !known {
			return nil
		}
		return []Change{{ID: id, Type: prev.Type, Op: Update, Doc: prev.Doc, Prev: prev.Doc}}
	}
	return nil
}

// operation decides what a write other than a delete did. A route's publish or
// unpublish action is one unless the document was known to be in that state already.
func (e *Engine) operation(q request, id string, prev doccache.Entry, known bool, state doccache.PublishState) Operation {
	switch {
	case q.route.op == Create, q.route.op == Update:
		return q.route.op
	case q.route.op != "" && known && prev.State == state:
		return Update
	case q.route.op != "":
		return q.route.op
	case q.status == http.StatusCreated, q.method == http.MethodPost && !q.route.batch && e.pathID(q) != id:
		return Create
	case known && prev.State == doccache.Unpublished && state == doccache.Published:
		return Publish
	case known && prev.State == doccache.Published && state == doccache.Unpublished:
		return Unpublish
	}
	return Update
}
