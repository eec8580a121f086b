package infer

import (
	"net/http"
	"slices"
	"strings"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// Engine infers the document changes of the responses of one route. It is safe for
// concurrent use; all it remembers lives in its cache.
type Engine struct {
	preset      *Preset
	routeType   string
	collections []Collection
	ignore      []PathPattern
	cache       *doccache.Cache
}

// New returns an Engine remembering documents in cache, which may be shared by the
// engines of several routes. A nil cache remembers nothing.
func New(cfg Config, cache *doccache.Cache) (*Engine, error) {
	p, err := cfg.preset()
	if err != nil {
		return nil, err
	}
	return &Engine{
		preset:      p,
		routeType:   cfg.RouteType,
		collections: slices.Clone(cfg.Collections),
		ignore:      slices.Clone(cfg.Ignore),
		cache:       cache,
	}, nil
}

// request is what the rules need of a response besides its body.
type request struct {
	dataset string
	method  string
	status  int
	// parent and last are the last two path segments.
	parent, last string
	route        route
	// many reports a body holding several documents, whose path names their collection
	// rather than one of them.
	many bool
}

// Observe infers the document changes of one proxied response in dataset, in response
// order. Reads of documents warm the cache and return nil; so does everything that is
// not a successful write of a document.
func (e *Engine) Observe(dataset string, r Response) []Change {
	q := request{dataset: dataset, method: strings.ToUpper(r.Method), status: r.Status}
	switch q.method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return nil
	}
	if !e.Reads(r.Status) || (q.method == http.MethodGet && !success(r.Status)) {
		return nil
	}
	partial := !success(r.Status)
	q.route = e.route(q.method, r.Path, r.Query)
	if q.route.skip {
		return nil
	}
	q.parent, q.last = lastSegments(r.Path)
	if r.Truncated {
		if q.method != http.MethodGet {
			e.forget(q, e.pathID(q))
		}
		return nil
	}
	body := trimBody(r.Body)
	if noDocument(body) {
		if partial {
			return nil
		}
		return e.bodiless(q)
	}
	if !isJSON(r.ContentType) {
		return nil
	}
	v, ok := decode(body)
	if !ok {
		return nil
	}
	items, many := e.preset.documents(v)
	q.many = many
	switch {
	case partial && !many:
		return nil
	case !many && len(items) == 1 && len(items[0].doc) == 0:
		return e.bodiless(q)
	case q.method == http.MethodGet:
		e.warm(q, items)
		return nil
	}
	var changes []Change
	for _, it := range items {
		qi := q
		if it.status != 0 {
			qi.status = it.status
		}
		if !success(qi.status) && !partial {
			continue
		}
		if ch, ok := e.write(qi, it); ok {
			changes = append(changes, ch)
		}
	}
	return changes
}

// Reads reports whether Observe may infer changes from a response with this status:
// a 2xx, or the status of a bulk write that failed in part where the preset has one
// (Payload's 400). A handler need not capture the bodies of other responses.
func (e *Engine) Reads(status int) bool {
	return success(status) || (e.preset.PartialStatus != 0 && status == e.preset.PartialStatus)
}

func success(status int) bool { return status >= 200 && status <= 299 }

// pathID is the document id the path names, if any.
func (e *Engine) pathID(q request) string {
	if q.route.exact || q.route.batch {
		return q.route.id
	}
	return q.last
}

// collection is the document's route type, else its collection: the one the preset
// read from the path, else the path segment before the id, or the last one where the
// path names a collection (a POST not ending with the id, a batch). Any other path
// names the document itself, perhaps by a slug or a second id, so its collection is
// the segment before the last.
func (e *Engine) collection(q request, id string) string {
	switch {
	case e.routeType != "":
		return e.routeType
	case q.route.exact, q.route.batch:
		return q.route.collection
	case q.last == id:
		return q.parent
	case q.many, q.method == http.MethodPost, q.parent == "":
		return q.last
	}
	return q.parent
}

// key is the cache key of a document; doc is nil for a write without a body.
func (e *Engine) key(q request, id string, doc map[string]any) doccache.Key {
	return doccache.Key{Dataset: q.dataset, ID: id, Collection: e.preset.cacheScope(e.collection(q, id), doc)}
}

func (e *Engine) forget(q request, id string) {
	if id != "" {
		e.cache.Delete(e.key(q, id, nil))
	}
}

// stamp sets _id and _type on a document that has none, so that filters written for
// Sanity-style documents match it.
func stamp(doc map[string]any, id, typ string) {
	if _, ok := doc["_id"]; !ok {
		doc["_id"] = id
	}
	if _, ok := doc["_type"]; !ok && typ != "" {
		doc["_type"] = typ
	}
}
