package infer

import (
	"encoding/json"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

// FuzzObserve feeds arbitrary responses, and then reads and bodiless writes of the same
// path, through one engine: Observe must never panic, and every change it reports must
// be complete.
func FuzzObserve(f *testing.F) {
	cache, err := doccache.New(4 << 20)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(cache.Close)
	engines := map[string]*Engine{}
	for _, name := range PresetNames() {
		if engines[name], err = New(Config{Preset: name}, cache); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, method, path string, status int, contentType string, body []byte, truncated bool) {
		for name, e := range engines {
			r := Response{Method: method, Path: path, Status: status, ContentType: contentType, Body: body, Truncated: truncated}
			check(t, e, r, e.Observe(name, r))
			for _, m := range []string{"GET", "PATCH", "DELETE"} {
				follow := Response{Method: m, Path: path, Status: 200, ContentType: contentType}
				check(t, e, follow, e.Observe(name, follow))
			}
			r.Method = "GET"
			e.Observe(name, r)
		}
	})
}

func check(t *testing.T, e *Engine, r Response, changes []Change) {
	t.Helper()
	preset := e.preset.Name
	partial := r.Status == e.preset.PartialStatus && e.preset.PartialStatus != 0
	if len(changes) > 0 && ((!success(r.Status) && !partial) || r.Truncated) {
		t.Fatalf("%s: %d changes from a status %d (truncated %v) response", preset, len(changes), r.Status, r.Truncated)
	}
	for _, c := range changes {
		switch c.Op {
		case Create, Update, Delete, Publish, Unpublish:
		default:
			t.Fatalf("%s: operation %q", preset, c.Op)
		}
		if c.ID == "" || c.Doc == nil {
			t.Fatalf("%s: incomplete change %+v", preset, c)
		}
		if _, ok := c.Doc["_id"]; !ok {
			t.Fatalf("%s: Doc without _id: %#v", preset, c.Doc)
		}
		if hasNumber(c.Doc) {
			t.Fatalf("%s: Doc keeps a json.Number: %#v", preset, c.Doc)
		}
	}
}

func hasNumber(v any) bool {
	switch v := v.(type) {
	case json.Number:
		return true
	case map[string]any:
		for _, e := range v {
			if hasNumber(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasNumber(e) {
				return true
			}
		}
	}
	return false
}
