package infer

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// A fixture is a sequence of real request/response pairs of one CMS, with the changes
// each must give. Fixtures live under testdata/fixtures/<preset>/ and say in source
// where their pairs come from.
type fixture struct {
	Source string     `json:"source"`
	Preset string     `json:"preset"`
	Config *Config    `json:"config"`
	Steps  []exchange `json:"steps"`
}

// An exchange is one request and its response.
type exchange struct {
	Note        string          `json:"note"`
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	Query       string          `json:"query"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	Body        json.RawMessage `json:"body"`
	BodyText    string          `json:"body_text"`
	Want        []string        `json:"want"`
	// Doc lists fields the first change's document must hold.
	Doc map[string]any `json:"doc"`
}

func (x exchange) response(t *testing.T) Response {
	t.Helper()
	q, err := url.ParseQuery(x.Query)
	if err != nil {
		t.Fatalf("query %q: %v", x.Query, err)
	}
	r := Response{Method: x.Method, Path: x.Path, Query: q, Status: x.Status, ContentType: x.ContentType}
	if r.ContentType == "" {
		r.ContentType = "application/json; charset=utf-8"
	}
	switch {
	case x.BodyText != "":
		r.Body = []byte(x.BodyText)
	case len(x.Body) > 0:
		r.Body = slices.Clone(x.Body)
	}
	return r
}

func TestFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fixtures", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(file, filepath.Join("testdata", "fixtures")+string(filepath.Separator)), ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var fx fixture
			dec := json.NewDecoder(strings.NewReader(string(raw)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&fx); err != nil {
				t.Fatal(err)
			}
			if fx.Source == "" || len(fx.Steps) == 0 {
				t.Fatal("a fixture needs a source and steps")
			}
			if dir := filepath.Base(filepath.Dir(file)); fx.Preset != dir {
				t.Fatalf("preset %q in the directory of %q", fx.Preset, dir)
			}
			seen[fx.Preset] = true
			cfg := Config{Preset: fx.Preset}
			if fx.Config != nil {
				cfg = *fx.Config
				cfg.Preset = fx.Preset
			}
			e := newEngine(t, cfg)
			for i, x := range fx.Steps {
				changes := e.Observe(dataset, x.response(t))
				if got := summary(changes); !slices.Equal(got, x.Want) {
					t.Fatalf("step %d %s (%s %s?%s %d): got %q, want %q", i, x.Note, x.Method, x.Path, x.Query, x.Status, got, x.Want)
				}
				for k, want := range x.Doc {
					if got := changes[0].Doc[k]; !reflect.DeepEqual(got, want) {
						t.Errorf("step %d: Doc[%q] = %#v, want %#v", i, k, got, want)
					}
				}
			}
		})
	}
	for _, name := range PresetNames() {
		if !seen[name] {
			t.Errorf("preset %s has no fixture", name)
		}
	}
}
