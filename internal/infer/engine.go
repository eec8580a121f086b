package infer

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// Config configures an Engine for one route.
type Config struct {
	// Preset names the CMS: "generic" (the default when empty) or one of PresetNames.
	Preset string
	// RouteType is the route's fixed document type ("" infers it from the path).
	RouteType string
}

// Engine infers the document changes of the responses of one route. It is safe for
// concurrent use; all it remembers lives in its cache.
type Engine struct {
	preset    *Preset
	routeType string
	cache     *doccache.Cache
}

// New returns an Engine remembering documents in cache, which may be shared by the
// engines of several routes. A nil cache remembers nothing.
func New(cfg Config, cache *doccache.Cache) (*Engine, error) {
	name := cfg.Preset
	if name == "" {
		name = generic.Name
	}
	p, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("infer: unknown preset %q (valid: %s)", cfg.Preset, strings.Join(PresetNames(), ", "))
	}
	return &Engine{preset: p, routeType: cfg.RouteType, cache: cache}, nil
}

// request is what the rules need of a response besides its body.
type request struct {
	dataset string
	method  string
	status  int
	// parent and last are the last two path segments.
	parent, last string
	// many reports a body holding an array of documents, whose path names their
	// collection rather than one of them.
	many bool
}

// Observe infers the document changes of one proxied response in dataset, in response
// order. Reads of documents warm the cache and return nil; so does everything that is
// not a successful write of a document.
func (e *Engine) Observe(dataset string, r Response) []Change {
	if r.Status < 200 || r.Status > 299 {
		return nil
	}
	q := request{dataset: dataset, method: strings.ToUpper(r.Method), status: r.Status}
	q.parent, q.last = lastSegments(r.Path)
	switch q.method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return nil
	}
	if r.Truncated {
		if q.method != http.MethodGet {
			e.forget(q, q.last)
		}
		return nil
	}
	body := trimBody(r.Body)
	if noDocument(body) {
		return e.bodiless(q)
	}
	if !isJSON(r.ContentType) {
		return nil
	}
	v, ok := decode(body)
	if !ok {
		return nil
	}
	docs, many := e.preset.documents(v)
	q.many = many
	if !many && len(docs) == 1 && len(docs[0]) == 0 {
		return e.bodiless(q)
	}
	if q.method == http.MethodGet {
		e.warm(q, docs)
		return nil
	}
	var changes []Change
	for _, doc := range docs {
		if ch, ok := e.write(q, doc); ok {
			changes = append(changes, ch)
		}
	}
	return changes
}

// collection is the document's route type, else its collection: the path segment
// before the id, or the last one where the path names a collection (a POST not ending
// with the id, a batch). Any other path names the document itself, perhaps by a slug or
// a second id, so its collection is the segment before the last.
func (e *Engine) collection(q request, id string) string {
	switch {
	case e.routeType != "":
		return e.routeType
	case q.last == id:
		return q.parent
	case q.many, q.method == http.MethodPost, q.parent == "":
		return q.last
	}
	return q.parent
}

func (e *Engine) key(q request, id string) doccache.Key {
	k := doccache.Key{Dataset: q.dataset, ID: id}
	if e.preset.ScopedIDs {
		k.Collection = e.collection(q, id)
	}
	return k
}

func (e *Engine) forget(q request, id string) {
	if id != "" {
		e.cache.Delete(e.key(q, id))
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
