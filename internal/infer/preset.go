package infer

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// A Preset describes how one CMS shapes its routes, documents and responses. Its fields
// are data; the few rules that data cannot say are small functions, nil where the
// generic rules apply.
type Preset struct {
	Name string
	// IDFields name the fields holding a document's id, first match winning. A number
	// becomes its decimal string. A field is a top-level name, or a JSON pointer (RFC
	// 6901) when it starts with a slash, as all the field lists below.
	IDFields []string
	// TypeFields name the fields holding a document's type, first non-empty string
	// winning. Where they name none, the type is the route's collection.
	TypeFields []string
	// StatusFields name the fields whose string value, when present, decides the
	// publish state: one of PublishedStatuses (any case) is published, anything else
	// unpublished.
	StatusFields      []string
	PublishedStatuses []string
	// PublishedAtFields are consulted when no status field is present: a non-null
	// value is published, null or "" unpublished.
	PublishedAtFields []string
	// TrashStatuses are the status values of a document in the trash, and
	// DeletedAtFields the fields whose non-null value says the same. A write that moves
	// a document to the trash is a delete; one that takes it out again a create.
	TrashStatuses   []string
	DeletedAtFields []string
	// Envelopes name the top-level fields whose object or array value is the document
	// or documents, when the top level has no id of its own.
	Envelopes []string
	// ScopedIDs reports that ids are unique only within a collection, so the cache
	// keys documents by collection and id.
	ScopedIDs bool
	// PartialStatus is the status of a bulk write that failed for some documents and
	// changed the others, which its body lists (Payload answers 400); 0 when a CMS
	// has none.
	PartialStatus int

	// route reads a request's path; nil leaves it to the generic path rules.
	route func(method, path string, query url.Values) route
	// items finds the documents of a decoded body; nil unwraps Envelopes.
	items func(p *Preset, v any) (items []item, many bool)
	// scope is the cache's collection for a document of a route collection (doc is
	// nil for a write without a body); nil scopes by collection where ScopedIDs.
	scope func(collection string, doc map[string]any) string
}

// An item is one document a response shows.
type item struct {
	doc map[string]any
	// status is the item's own status in a batch of responses, 0 if it has none.
	status int
	// gone reports a body saying the document was deleted, whatever the method.
	gone bool
}

var presets = map[string]*Preset{
	generic.Name:    &generic,
	jsonServer.Name: &jsonServer,
	wordPress.Name:  &wordPress,
	strapi.Name:     &strapi,
	directus.Name:   &directus,
	ghost.Name:      &ghost,
	payload.Name:    &payload,
}

// PresetNames lists the valid Config.Preset values, sorted.
func PresetNames() []string {
	return slices.Sorted(maps.Keys(presets))
}

func (p *Preset) id(doc map[string]any) string {
	for _, f := range p.IDFields {
		if id := idString(lookup(doc, f)); id != "" {
			return id
		}
	}
	return ""
}

func (p *Preset) docType(doc map[string]any) string {
	for _, f := range p.TypeFields {
		if t, ok := lookup(doc, f).(string); ok && t != "" {
			return t
		}
	}
	return ""
}

func (p *Preset) state(doc map[string]any) doccache.PublishState {
	for _, f := range p.StatusFields {
		if s, ok := lookup(doc, f).(string); ok {
			if oneOf(s, p.PublishedStatuses) {
				return doccache.Published
			}
			return doccache.Unpublished
		}
	}
	for _, f := range p.PublishedAtFields {
		if v, ok := lookupOK(doc, f); ok {
			if v == nil || v == "" {
				return doccache.Unpublished
			}
			return doccache.Published
		}
	}
	return doccache.Unknown
}

// trashed reports a document in the trash.
func (p *Preset) trashed(doc map[string]any) bool {
	if doc == nil {
		return false
	}
	for _, f := range p.StatusFields {
		if s, ok := lookup(doc, f).(string); ok && oneOf(s, p.TrashStatuses) {
			return true
		}
	}
	for _, f := range p.DeletedAtFields {
		if v := lookup(doc, f); v != nil && v != "" {
			return true
		}
	}
	return false
}

// cacheScope is the cache's collection for a document.
func (p *Preset) cacheScope(collection string, doc map[string]any) string {
	switch {
	case p.scope != nil:
		return p.scope(collection, doc)
	case p.ScopedIDs:
		return collection
	}
	return ""
}

// documents returns the items a decoded body holds. many reports several documents
// (an array, a batch), which cannot take their id from the path.
func (p *Preset) documents(v any) (items []item, many bool) {
	if p.items != nil {
		return p.items(p, v)
	}
	return p.unwrap(v)
}

// unwrap returns the object itself or each object of an array, after unwrapping an
// envelope.
func (p *Preset) unwrap(v any) (items []item, many bool) {
	if obj, ok := v.(map[string]any); ok && p.id(obj) == "" {
		for _, env := range p.Envelopes {
			if inner := lookup(obj, env); isContainer(inner) {
				v = inner
				break
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		return []item{{doc: v}}, false
	case []any:
		items = make([]item, 0, len(v))
		for _, e := range v {
			if doc, ok := e.(map[string]any); ok {
				items = append(items, item{doc: doc})
			}
		}
		return items, true
	}
	return nil, false
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func oneOf(s string, values []string) bool {
	for _, v := range values {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}
