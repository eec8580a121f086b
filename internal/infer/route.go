package infer

import (
	"net/url"
	"strings"
)

// A route is what a request's path says about the documents its response holds.
type route struct {
	// skip reports a path that holds no documents (auth, uploads, settings, users):
	// nothing is inferred from it and nothing is remembered.
	skip bool
	// exact reports that collection and id were read from the path, so the generic
	// guesses about which segment is which do not apply.
	exact bool
	// collection is the documents' type where their body names none, and their scope in
	// the cache where ids are scoped.
	collection string
	// id is the document id the path names, "" for a path naming a collection.
	id string
	// idFromPath makes the path's id win over the body's (Payload globals, named by
	// their slug).
	idFromPath bool
	// op is the operation the route itself performs (a publish action), "" when the
	// response decides.
	op Operation
	// draft reports a write of a draft beside the published version: it leaves the
	// publish state as it was.
	draft bool
	// batch reports a path whose response holds the responses of several writes, each
	// with its own status.
	batch bool
}

// A PathPattern matches request paths: a path exactly, or, ending with "/*", every
// path under it and the path itself.
type PathPattern string

// match reports whether path matches and returns what follows the pattern's prefix.
func (p PathPattern) match(path string) (rest string, ok bool) {
	prefix, wild := strings.CutSuffix(string(p), "/*")
	if !wild {
		return "", strings.TrimRight(path, "/") == strings.TrimRight(prefix, "/")
	}
	if path == prefix || path == prefix+"/" {
		return "", true
	}
	rest, ok = strings.CutPrefix(path, prefix+"/")
	if !ok {
		return "", false
	}
	return strings.Trim(rest, "/"), true
}

// route reads a request's path: the configured ignores and collections first, then the
// preset's routes.
func (e *Engine) route(method, path string, query url.Values) route {
	for _, p := range e.ignore {
		if _, ok := p.match(path); ok {
			return route{skip: true}
		}
	}
	for _, c := range e.collections {
		if rest, ok := c.Path.match(path); ok {
			return route{exact: true, collection: c.Type, id: rest}
		}
	}
	if e.preset.route == nil {
		return route{}
	}
	return e.preset.route(method, path, query)
}

// segments splits a path into its non-empty segments.
func segments(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
}
