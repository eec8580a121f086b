package infer

import (
	"maps"
	"slices"
	"strings"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// A Preset describes how one CMS shapes its documents and responses.
type Preset struct {
	Name string
	// IDFields name the fields holding a document's id, first match winning. A number
	// becomes its decimal string.
	IDFields []string
	// TypeFields name the fields holding a document's type, first non-empty string
	// winning.
	TypeFields []string
	// StatusFields name the fields whose string value, when present, decides the
	// publish state: one of PublishedStatuses (any case) is published, anything else
	// unpublished.
	StatusFields      []string
	PublishedStatuses []string
	// PublishedAtFields are consulted when no status field is present: a non-null
	// value is published, null or "" unpublished.
	PublishedAtFields []string
	// Envelopes name the top-level fields whose object or array value is the document
	// or documents, when the top level has no id of its own.
	Envelopes []string
	// ScopedIDs reports that ids are unique only within a collection, so the cache
	// keys documents by collection and id.
	ScopedIDs bool
}

var presets = map[string]*Preset{
	generic.Name:    &generic,
	jsonServer.Name: &jsonServer,
}

// PresetNames lists the valid Config.Preset values, sorted.
func PresetNames() []string {
	return slices.Sorted(maps.Keys(presets))
}

func (p *Preset) id(doc map[string]any) string {
	for _, f := range p.IDFields {
		if id := idString(doc[f]); id != "" {
			return id
		}
	}
	return ""
}

func (p *Preset) docType(doc map[string]any) string {
	for _, f := range p.TypeFields {
		if t, ok := doc[f].(string); ok && t != "" {
			return t
		}
	}
	return ""
}

func (p *Preset) state(doc map[string]any) doccache.PublishState {
	for _, f := range p.StatusFields {
		if s, ok := doc[f].(string); ok {
			for _, published := range p.PublishedStatuses {
				if strings.EqualFold(s, published) {
					return doccache.Published
				}
			}
			return doccache.Unpublished
		}
	}
	for _, f := range p.PublishedAtFields {
		if v, ok := doc[f]; ok {
			if v == nil || v == "" {
				return doccache.Unpublished
			}
			return doccache.Published
		}
	}
	return doccache.Unknown
}

// documents returns the documents a decoded body holds: the object itself, or each
// object of an array, after unwrapping an envelope. many reports an array, whose
// documents cannot take their id from the path.
func (p *Preset) documents(v any) (docs []map[string]any, many bool) {
	if obj, ok := v.(map[string]any); ok && p.id(obj) == "" {
		for _, env := range p.Envelopes {
			if inner := obj[env]; isContainer(inner) {
				v = inner
				break
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}, false
	case []any:
		docs = make([]map[string]any, 0, len(v))
		for _, e := range v {
			if doc, ok := e.(map[string]any); ok {
				docs = append(docs, doc)
			}
		}
		return docs, true
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
