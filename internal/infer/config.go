package infer

import (
	"fmt"
	"strings"
)

// Config configures an Engine for one route. Beyond the preset, every field is
// optional and adapts the preset to a backend it does not know: together they make the
// generic preset fit any REST API without code.
type Config struct {
	// Preset names the CMS: "generic" (the default when empty) or one of PresetNames.
	Preset string
	// RouteType is the route's fixed document type ("" infers it from the path).
	RouteType string

	// IDField and TypeField are tried before the preset's fields of that kind, and
	// StatusField replaces the preset's status fields: each a top-level name, or a JSON
	// pointer (RFC 6901) into the document such as "/sys/id". Trying the preset's
	// fields next lets one IDField name the primary key of the collections that do not
	// use the preset's (Directus's code of a countries collection).
	IDField, TypeField, StatusField string
	// PublishedValues replace the preset's values of StatusField meaning published.
	PublishedValues []string
	// Envelope replaces the preset's envelopes: the field (name or JSON pointer) of a
	// response holding its document or documents.
	Envelope string
	// Collections map paths to document types, first match winning: the type of the
	// documents under Path, whose rest names the document (Caddyfile: collection
	// /api/articles/* article).
	Collections []Collection
	// Ignore lists paths whose responses never hold documents (Caddyfile: ignore
	// /auth/*). They win over Collections and over the preset's routes.
	Ignore []PathPattern
}

// A Collection maps the paths matching Path to the document type Type. What follows
// Path's prefix, slashes included, is the document id; nothing names the collection.
type Collection struct {
	Path PathPattern
	Type string
}

// preset returns the named preset adapted by the configured fields.
func (cfg Config) preset() (*Preset, error) {
	name := cfg.Preset
	if name == "" {
		name = generic.Name
	}
	base, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("infer: unknown preset %q (valid: %s)", cfg.Preset, strings.Join(PresetNames(), ", "))
	}
	for _, f := range []string{cfg.IDField, cfg.TypeField, cfg.StatusField, cfg.Envelope} {
		if f != "" && !validPointer(f) {
			return nil, fmt.Errorf("infer: invalid JSON pointer %q: ~ must be followed by 0 or 1", f)
		}
	}
	for _, c := range cfg.Collections {
		if err := c.Path.validate(); err != nil {
			return nil, err
		}
		if c.Type == "" {
			return nil, fmt.Errorf("infer: collection %s has no type", c.Path)
		}
	}
	for _, p := range cfg.Ignore {
		if err := p.validate(); err != nil {
			return nil, err
		}
	}
	p := *base
	if cfg.IDField != "" {
		p.IDFields = append([]string{cfg.IDField}, base.IDFields...)
	}
	if cfg.TypeField != "" {
		p.TypeFields = append([]string{cfg.TypeField}, base.TypeFields...)
	}
	if cfg.StatusField != "" {
		p.StatusFields = []string{cfg.StatusField}
		p.PublishedAtFields = nil
	}
	if cfg.PublishedValues != nil {
		p.PublishedStatuses = cfg.PublishedValues
	}
	if cfg.Envelope != "" {
		p.Envelopes = []string{cfg.Envelope}
	}
	return &p, nil
}

func (p PathPattern) validate() error {
	s := string(p)
	if !strings.HasPrefix(s, "/") {
		return fmt.Errorf("infer: path %q must start with /", s)
	}
	if strings.Contains(strings.TrimSuffix(s, "/*"), "*") {
		return fmt.Errorf("infer: path %q: * may only end it, as /*", s)
	}
	return nil
}
