package caddyfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig"
	_ "github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddytest"
	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

// TestAdapt runs the golden files in testdata/adapt: each holds a Caddyfile,
// a line of dashes, and the JSON it must adapt to (as caddy's own
// caddyfile_adapt tests do).
func TestAdapt(t *testing.T) {
	files, err := filepath.Glob("testdata/adapt/*.caddyfiletest")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in, want, ok := strings.Cut(string(data), "\n----------\n")
			if !ok {
				t.Fatalf("%s has no ---------- separator", f)
			}
			caddytest.AssertAdapt(t, in+"\n", "caddyfile", strings.TrimSpace(want))
		})
	}
}

// TestErrors checks that each bad Caddyfile in testdata/errors fails to
// adapt with an error that names the line and says what to write. Each file
// starts with "# want: <substring>" lines.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.caddyfile")
	if err != nil || len(files) == 0 {
		t.Fatalf("no error cases: %v", err)
	}
	adapter := caddyconfig.GetAdapter("caddyfile")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var wants []string
			for _, line := range strings.Split(string(data), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					wants = append(wants, w)
				}
			}
			if len(wants) == 0 {
				t.Fatalf("%s has no '# want:' line", f)
			}
			_, _, err = adapter.Adapt(data, map[string]any{"filename": "Caddyfile"})
			if err == nil {
				t.Fatalf("adapted without error")
			}
			for _, w := range wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}
