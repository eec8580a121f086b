package infer

import "github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"

// warm remembers the documents a read returned, so that later writes can be compared
// with them. A document without an id of its own is skipped: a read's path may name a
// collection or a singleton rather than the document. A read of drafts says nothing
// about the publish state of documents that also have a published version.
func (e *Engine) warm(q request, items []item) {
	records := make([]doccache.Record, 0, len(items))
	for _, it := range items {
		doc := it.doc
		id := e.preset.id(doc)
		if id == "" {
			continue
		}
		normalize(doc)
		key := e.key(q, id, doc)
		typ := e.preset.docType(doc)
		if typ == "" {
			typ = e.collection(q, id)
		}
		state := e.preset.state(doc)
		if state == doccache.Unknown || q.route.draft {
			prev, _ := e.cache.Get(key)
			state = prev.State
		}
		stamp(doc, id, typ)
		records = append(records, doccache.Record{Key: key, Entry: doccache.Entry{Type: typ, State: state, Doc: doc}})
	}
	e.cache.Set(records...)
}
