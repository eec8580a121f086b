package infer

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
)

const dataset = "production"

// res is a 2xx-or-not JSON response.
func res(method, path string, status int, body string) Response {
	r := Response{Method: method, Path: path, Status: status, ContentType: "application/json; charset=utf-8"}
	if body != "" {
		r.Body = []byte(body)
	}
	return r
}

// summary renders changes as "op type/id" lines.
func summary(changes []Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, fmt.Sprintf("%s %s/%s", c.Op, c.Type, c.ID))
	}
	return out
}

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	cache, err := doccache.New(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cache.Close)
	e, err := New(cfg, cache)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type step struct {
	r    Response
	want []string
}

// run observes steps in order on a fresh engine and checks each one's changes.
func run(t *testing.T, cfg Config, steps ...step) []Change {
	t.Helper()
	e := newEngine(t, cfg)
	var last []Change
	for i, s := range steps {
		last = e.Observe(dataset, s.r)
		if got := summary(last); !slices.Equal(got, s.want) {
			t.Fatalf("step %d (%s %s %d %q): got %q, want %q", i, s.r.Method, s.r.Path, s.r.Status, s.r.Body, got, s.want)
		}
	}
	return last
}

func TestRules(t *testing.T) {
	jsonServer := Config{Preset: "json-server"}
	for _, tc := range []struct {
		name  string
		cfg   Config
		steps []step
	}{
		// id
		{"id from _id", Config{}, []step{{res("PUT", "/posts/x", 200, `{"_id":"x","id":5,"type":"post"}`), []string{"update post/x"}}}},
		{"id from id", Config{}, []step{{res("PUT", "/posts/5", 200, `{"id":"5","title":"t"}`), []string{"update posts/5"}}}},
		{"numeric id", Config{}, []step{{res("PUT", "/posts/42", 200, `{"id":42}`), []string{"update posts/42"}}}},
		{"negative id", Config{}, []step{{res("PUT", "/posts/-3", 200, `{"id":-3}`), []string{"update posts/-3"}}}},
		{"id beyond float64 precision", Config{}, []step{{res("POST", "/posts", 201, `{"id":12345678901234567891}`), []string{"create posts/12345678901234567891"}}}},
		{"fractional id", Config{}, []step{{res("POST", "/posts", 201, `{"id":1.5}`), []string{"create posts/1.5"}}}},
		{"exponent id", Config{}, []step{{res("POST", "/posts", 201, `{"id":1e3}`), []string{"create posts/1000"}}}},
		{"empty _id falls back to id", Config{}, []step{{res("PUT", "/posts/7", 200, `{"_id":"","id":7}`), []string{"update posts/7"}}}},
		{"non-scalar id falls back to path", Config{}, []step{{res("PATCH", "/posts/7", 200, `{"id":{"n":7},"title":"t"}`), []string{"update posts/7"}}}},
		{"id with dots", Config{}, []step{{res("PUT", "/posts/drafts.abc.def", 200, `{"_id":"drafts.abc.def","_type":"post"}`), []string{"update post/drafts.abc.def"}}}},
		{"path id with dots", Config{}, []step{{res("PATCH", "/files/report.v2.pdf", 200, `{"size":3}`), []string{"update files/report.v2.pdf"}}}},
		{"PUT without id takes the path's", Config{}, []step{{res("PUT", "/api/posts/9/", 200, `{"title":"t"}`), []string{"update posts/9"}}}},
		{"DELETE without id takes the path's", Config{}, []step{{res("DELETE", "/posts/9", 200, `{"deleted":true}`), []string{"delete posts/9"}}}},
		{"POST without id is nothing", Config{}, []step{{res("POST", "/posts/9", 200, `{"title":"t"}`), nil}}},
		{"root path without id is nothing", Config{}, []step{{res("DELETE", "/", 204, ""), nil}}},

		// type
		{"_type wins over type", Config{}, []step{{res("POST", "/posts", 201, `{"id":1,"_type":"article","type":"news"}`), []string{"create article/1"}}}},
		{"type", Config{}, []step{{res("POST", "/posts", 201, `{"id":1,"type":"news"}`), []string{"create news/1"}}}},
		{"non-string type ignored", Config{}, []step{{res("POST", "/posts", 201, `{"id":1,"type":{"name":"x"}}`), []string{"create posts/1"}}}},
		{"route type", Config{RouteType: "post"}, []step{{res("POST", "/api/items", 201, `{"id":1}`), []string{"create post/1"}}}},
		{"body type beats route type", Config{RouteType: "post"}, []step{{res("POST", "/api/items", 201, `{"id":1,"type":"page"}`), []string{"create page/1"}}}},
		{"collection before the id", Config{}, []step{{res("PATCH", "/api/v2/pages/about", 200, `{"id":"about"}`), []string{"update pages/about"}}}},
		{"document path by slug", Config{}, []step{
			{res("GET", "/posts/my-slug", 200, `{"id":5,"title":"t"}`), nil},
			{res("DELETE", "/posts/5", 204, ""), []string{"delete posts/5"}},
		}},
		{"document path by a second id", Config{}, []step{{res("PUT", "/api/articles/k7x2", 200, `{"data":{"id":5,"documentId":"k7x2"}}`), []string{"update articles/5"}}}},
		{"single document PUT to a top-level collection", Config{}, []step{{res("PUT", "/posts", 200, `{"id":5}`), []string{"update posts/5"}}}},
		{"batch PUT to a collection", Config{}, []step{{res("PUT", "/api/posts", 200, `[{"id":5},{"id":6}]`), []string{"update posts/5", "update posts/6"}}}},
		{"nested collection of a POST", Config{}, []step{{res("POST", "/posts/1/comments", 201, `{"id":1,"postId":1}`), []string{"create comments/1"}}}},
		{"type change", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"type":"post"}`), nil},
			{res("PUT", "/posts/1", 200, `{"id":1,"type":"page"}`), []string{"update page/1"}},
		}},

		// operation
		{"201 is create", Config{}, []step{{res("PUT", "/posts/1", 201, `{"id":1}`), []string{"create posts/1"}}}},
		{"POST to collection is create", Config{}, []step{{res("POST", "/posts", 200, `{"id":1}`), []string{"create posts/1"}}}},
		{"POST to document is update", Config{}, []step{{res("POST", "/posts/1", 200, `{"id":1}`), []string{"update posts/1"}}}},
		{"create wins over publish state", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`), nil},
			{res("POST", "/posts", 201, `{"id":1,"status":"published"}`), []string{"create posts/1"}},
		}},
		{"lower-case method", Config{}, []step{{res("patch", "/posts/1", 200, `{"id":1}`), []string{"update posts/1"}}}},
		{"GET is nothing", Config{}, []step{{res("GET", "/posts/1", 200, `{"id":1}`), nil}}},
		{"HEAD and OPTIONS are nothing", Config{}, []step{
			{res("HEAD", "/posts/1", 200, ""), nil},
			{res("OPTIONS", "/posts/1", 204, ""), nil},
		}},

		// publish state
		{"publish by status", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`), nil},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"publish posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"update posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"draft"}`), []string{"unpublish posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"archived"}`), []string{"update posts/1"}},
		}},
		{"WordPress publish", Config{}, []step{
			{res("POST", "/wp/v2/posts", 201, `{"id":5,"type":"post","status":"draft"}`), []string{"create post/5"}},
			{res("POST", "/wp/v2/posts/5", 200, `{"id":5,"type":"post","status":"publish"}`), []string{"publish post/5"}},
			{res("POST", "/wp/v2/posts/5", 200, `{"id":5,"type":"post","status":"private"}`), []string{"unpublish post/5"}},
		}},
		{"status is case-insensitive", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"DRAFT"}`), nil},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"Published"}`), []string{"publish posts/1"}},
		}},
		{"publishedAt", Config{}, []step{
			{res("POST", "/posts", 201, `{"id":1,"publishedAt":null}`), []string{"create posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"publishedAt":"2024-01-01T00:00:00Z"}`), []string{"publish posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"publishedAt":""}`), []string{"unpublish posts/1"}},
		}},
		{"published_at", Config{}, []step{
			{res("POST", "/posts", 201, `{"id":1,"published_at":"2024-01-01"}`), []string{"create posts/1"}},
			{res("PUT", "/posts/1", 200, `{"id":1,"published_at":null}`), []string{"unpublish posts/1"}},
		}},
		{"status beats publishedAt", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"draft","publishedAt":"2024-01-01"}`), nil},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"published","publishedAt":"2024-01-01"}`), []string{"publish posts/1"}},
		}},
		{"previous state unknown is update", Config{}, []step{
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"update posts/1"}},
		}},
		{"previous state without status is update", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"title":"t"}`), nil},
			{res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"update posts/1"}},
		}},
		{"missing status keeps the last known state", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`), nil},
			{res("PATCH", "/posts/1", 200, `{"id":1,"title":"t"}`), []string{"update posts/1"}},
			{res("PATCH", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"publish posts/1"}},
		}},
		{"collection read warms the cache", Config{}, []step{
			{res("GET", "/posts", 200, `[{"id":1,"status":"draft"},{"id":2,"status":"published"}]`), nil},
			{res("PATCH", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"publish posts/1"}},
			{res("PATCH", "/posts/2", 200, `{"id":2,"status":"draft"}`), []string{"unpublish posts/2"}},
		}},

		// bodiless writes
		{"204 delete unknown", Config{}, []step{{res("DELETE", "/posts/7", 204, ""), []string{"delete posts/7"}}}},
		{"204 delete known takes the cached type", Config{}, []step{
			{res("GET", "/articles/7", 200, `{"id":7,"type":"article"}`), nil},
			{res("DELETE", "/articles/7", 204, ""), []string{"delete article/7"}},
		}},
		{"{} delete known", Config{}, []step{
			{res("POST", "/posts", 201, `{"id":7,"_type":"post"}`), []string{"create post/7"}},
			{res("DELETE", "/posts/7", 200, `{}`), []string{"delete post/7"}},
		}},
		{"null delete", Config{}, []step{{res("DELETE", "/posts/7", 200, `null`), []string{"delete posts/7"}}}},
		{"empty envelope delete", Config{}, []step{{res("DELETE", "/posts/7", 200, `{"data":{}}`), []string{"delete posts/7"}}}},
		{"deleted documents are forgotten", Config{}, []step{
			{res("GET", "/posts/7", 200, `{"id":7,"type":"post"}`), nil},
			{res("DELETE", "/posts/7", 204, ""), []string{"delete post/7"}},
			{res("PATCH", "/posts/7", 204, ""), nil},
			{res("DELETE", "/posts/7", 204, ""), []string{"delete posts/7"}},
		}},
		{"PATCH no body unknown", Config{}, []step{{res("PATCH", "/posts/7", 204, ""), nil}}},
		{"PATCH no body known", Config{}, []step{
			{res("GET", "/posts/7", 200, `{"id":7,"type":"post"}`), nil},
			{res("PATCH", "/posts/7", 204, ""), []string{"update post/7"}},
		}},
		{"PUT {} known", Config{}, []step{
			{res("GET", "/posts/7", 200, `{"id":7,"type":"post"}`), nil},
			{res("PUT", "/posts/7", 200, `{}`), []string{"update post/7"}},
		}},
		{"POST no body", Config{}, []step{{res("POST", "/posts", 201, ""), nil}}},

		// bodies
		{"data envelope", Config{}, []step{{res("PUT", "/api/posts/1", 200, `{"data":{"id":1,"title":"t"},"meta":{}}`), []string{"update posts/1"}}}},
		{"doc envelope", Config{}, []step{{res("POST", "/api/posts", 201, `{"doc":{"id":"a1"},"message":"Created"}`), []string{"create posts/a1"}}}},
		{"data envelope array", Config{}, []step{{res("POST", "/api/posts", 200, `{"data":[{"id":1},{"id":2}]}`), []string{"create posts/1", "create posts/2"}}}},
		{"data of a document is not an envelope", Config{}, []step{{res("PUT", "/posts/1", 200, `{"id":1,"data":{"id":2}}`), []string{"update posts/1"}}}},
		{"scalar data is not an envelope", Config{}, []step{{res("PUT", "/posts/1", 200, `{"data":"x"}`), []string{"update posts/1"}}}},
		{"batch in response order", Config{}, []step{{res("POST", "/posts", 201, `[{"id":2},"junk",{"title":"no id"},{"id":1},null]`), []string{"create posts/2", "create posts/1"}}}},
		{"batch items never take the path id", Config{}, []step{{res("PUT", "/posts/1", 200, `[{"title":"a"}]`), nil}}},
		{"batch delete", Config{}, []step{{res("DELETE", "/posts", 200, `[{"id":1},{"id":2}]`), []string{"delete posts/1", "delete posts/2"}}}},
		{"empty array", Config{}, []step{{res("POST", "/posts", 201, `[]`), nil}}},
		{"scalar body", Config{}, []step{{res("DELETE", "/posts/1", 200, `true`), nil}}},
		{"BOM", Config{}, []step{{res("POST", "/posts", 201, "\xef\xbb\xbf{\"id\":1}"), []string{"create posts/1"}}}},
		{"XSSI prefix", Config{}, []step{{res("POST", "/posts", 201, ")]}',\n{\"id\":1}"), []string{"create posts/1"}}}},
		{"XSSI prefix without comma", Config{}, []step{{res("POST", "/posts", 201, ")]}'\n[{\"id\":1}]"), []string{"create posts/1"}}}},
		{"unparseable", Config{}, []step{{res("POST", "/posts", 201, `{"id":1`), nil}}},
		{"trailing garbage", Config{}, []step{{res("POST", "/posts", 201, `{"id":1} {"id":2}`), nil}}},
		{"non-JSON media type", Config{}, []step{{Response{Method: "POST", Path: "/posts", Status: 201, ContentType: "text/html", Body: []byte(`{"id":1}`)}, nil}}},
		{"vendor JSON media type", Config{}, []step{{Response{Method: "POST", Path: "/posts", Status: 201, ContentType: "application/vnd.api+json", Body: []byte(`{"data":{"id":"1","type":"posts"}}`)}, []string{"create posts/1"}}}},
		{"absent media type", Config{}, []step{{Response{Method: "POST", Path: "/posts", Status: 201, Body: []byte(`{"id":1}`)}, []string{"create posts/1"}}}},
		{"failed writes", Config{}, []step{
			{res("POST", "/posts", 400, `{"id":1}`), nil},
			{res("PUT", "/posts/1", 500, `{"id":1}`), nil},
			{res("DELETE", "/posts/1", 404, ""), nil},
			{res("PATCH", "/posts/1", 304, ""), nil},
		}},
		{"truncated body", Config{}, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"published"}`), nil},
			{Response{Method: "PATCH", Path: "/posts/1", Status: 200, ContentType: "application/json", Truncated: true}, nil},
			{res("PATCH", "/posts/1", 200, `{"id":1,"status":"draft"}`), []string{"update posts/1"}},
		}},

		// json-server 0.17 and 1.x
		{"json-server lifecycle", jsonServer, []step{
			{res("GET", "/posts", 200, `[{"id":1,"title":"a","status":"draft"}]`), nil},
			{res("POST", "/posts", 201, `{"title":"b","id":2}`), []string{"create posts/2"}},
			{res("PUT", "/posts/1", 200, `{"title":"a2","status":"draft","id":1}`), []string{"update posts/1"}},
			{res("PATCH", "/posts/1", 200, `{"title":"a2","status":"published","id":1}`), []string{"publish posts/1"}},
			{res("DELETE", "/posts/1", 200, `{}`), []string{"delete posts/1"}},
			{res("DELETE", "/posts/2", 200, `{}`), []string{"delete posts/2"}},
		}},
		{"json-server string ids", jsonServer, []step{
			{res("POST", "/posts", 201, `{"id":"3f2a","title":"b"}`), []string{"create posts/3f2a"}},
			{res("DELETE", "/posts/3f2a", 200, `{"id":"3f2a","title":"b"}`), []string{"delete posts/3f2a"}},
		}},
		{"json-server ids are per collection", jsonServer, []step{
			{res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`), nil},
			{res("GET", "/comments/1", 200, `{"id":1,"body":"hi","postId":1}`), nil},
			{res("PATCH", "/posts/1", 200, `{"id":1,"status":"published"}`), []string{"publish posts/1"}},
			{res("DELETE", "/comments/1", 200, `{}`), []string{"delete comments/1"}},
			{res("PATCH", "/posts/1", 200, `{"id":1,"status":"draft"}`), []string{"unpublish posts/1"}},
		}},
		{"json-server has no envelopes", jsonServer, []step{{res("PATCH", "/posts/1", 200, `{"data":{"id":5}}`), []string{"update posts/1"}}}},
		// presets: the ugly cases
		{"strapi missing publishedAt keeps the state", Config{Preset: "strapi"}, []step{
			{res("GET", "/api/articles/x", 200, `{"data":{"id":1,"documentId":"x","publishedAt":null}}`), nil},
			{res("PUT", "/api/articles/x", 200, `{"data":{"id":1,"documentId":"x","title":"t"}}`), []string{"update article/x"}},
			{res("PUT", "/api/articles/x", 200, `{"data":{"id":2,"documentId":"x","publishedAt":"2024-01-01T00:00:00Z"}}`), []string{"publish article/x"}},
		}},
		{"strapi draft read does not unpublish", Config{Preset: "strapi"}, []step{
			{res("GET", "/api/articles/x", 200, `{"data":{"id":2,"documentId":"x","publishedAt":"2024-01-01T00:00:00Z"}}`), nil},
			{Response{Method: "GET", Path: "/api/articles/x", Query: map[string][]string{"status": {"draft"}}, Status: 200, ContentType: "application/json", Body: []byte(`{"data":{"id":1,"documentId":"x","publishedAt":null}}`)}, nil},
			{res("PUT", "/api/articles/x", 200, `{"data":{"id":2,"documentId":"x","publishedAt":"2024-01-02T00:00:00Z"}}`), []string{"update article/x"}},
		}},
		{"strapi admin type is the cached one on a bodiless delete", Config{Preset: "strapi"}, []step{
			{res("GET", "/content-manager/collection-types/api::blog-post.blog-post/x", 200, `{"data":{"id":1,"documentId":"x","status":"draft"}}`), nil},
			{res("DELETE", "/api/blog-posts/x", 204, ""), []string{"delete blog-post/x"}},
		}},
		{"directus id_field for a primary key other than id", Config{Preset: "directus", IDField: "code"}, []step{
			{res("POST", "/items/countries", 200, `{"data":{"code":"nl.v2","name":"Netherlands"}}`), []string{"create countries/nl.v2"}},
			{res("POST", "/items/articles", 200, `{"data":{"id":4,"status":"draft"}}`), []string{"create articles/4"}},
		}},
		{"a 400 is a failure where a CMS has no partial bulk", Config{Preset: "directus"}, []step{
			{res("PATCH", "/items/articles", 400, `{"data":[{"id":1}],"errors":[{"message":"x"}]}`), nil},
		}},
		{"wordpress batch item without a status takes the batch's", Config{Preset: "wordpress"}, []step{
			{res("POST", "/wp-json/batch/v1", 207, `{"responses":[{"body":{"id":3,"type":"post","status":"draft"}},"junk",{"status":200}]}`), []string{"update post/3"}},
		}},
		{"wordpress trashed twice is one delete, then a purge", Config{Preset: "wordpress"}, []step{
			{res("GET", "/wp-json/wp/v2/posts/3", 200, `{"id":3,"type":"post","status":"publish"}`), nil},
			{res("POST", "/wp-json/wp/v2/posts/3", 200, `{"id":3,"type":"post","status":"trash"}`), []string{"delete post/3"}},
			{res("POST", "/wp-json/wp/v2/posts/3", 200, `{"id":3,"type":"post","status":"trash","title":"t"}`), []string{"update post/3"}},
			{res("DELETE", "/wp-json/wp/v2/posts/3", 200, `{"deleted":true,"previous":{"id":3,"type":"post","status":"trash"}}`), []string{"delete post/3"}},
			{res("POST", "/wp-json/wp/v2/posts/3", 200, `{"id":3,"type":"post","status":"draft"}`), []string{"update post/3"}},
		}},
		{"payload numeric and string ids per collection", Config{Preset: "payload"}, []step{
			{res("GET", "/api/posts/1", 200, `{"id":1,"_status":"draft"}`), nil},
			{res("PATCH", "/api/pages/1", 200, `{"doc":{"id":1,"_status":"published"}}`), []string{"update pages/1"}},
			{res("PATCH", "/api/posts/1", 200, `{"doc":{"id":1,"_status":"published"}}`), []string{"publish posts/1"}},
		}},
		{"ghost type from the route, not the body", Config{Preset: "ghost"}, []step{
			{res("PUT", "/ghost/api/admin/pages/5b7ada404f87d200b5b1f9c8/", 200, `{"pages":[{"id":"5b7ada404f87d200b5b1f9c8","type":"page","status":"draft"}]}`), []string{"update page/5b7ada404f87d200b5b1f9c8"}},
		}},
		{"truncated write on a skipped route forgets nothing", Config{Preset: "directus"}, []step{
			{res("GET", "/items/articles/1", 200, `{"data":{"id":1,"status":"draft"}}`), nil},
			{Response{Method: "PATCH", Path: "/users/1", Status: 200, Truncated: true}, nil},
			{res("PATCH", "/items/articles/1", 200, `{"data":{"id":1,"status":"published"}}`), []string{"publish articles/1"}},
		}},
		{"json-server nested POST", jsonServer, []step{{res("POST", "/posts/1/comments", 201, `{"body":"x","postId":1,"id":3}`), []string{"create comments/3"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc.cfg, tc.steps...) })
	}
}

func TestDatasetsDoNotShareDocuments(t *testing.T) {
	e := newEngine(t, Config{})
	e.Observe("staging", res("GET", "/posts/1", 200, `{"id":1,"type":"article","status":"draft"}`))
	got := summary(e.Observe(dataset, res("DELETE", "/posts/1", 204, "")))
	if want := []string{"delete posts/1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	got = summary(e.Observe("staging", res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`)))
	if want := []string{"publish posts/1"}; !slices.Equal(got, want) {
		t.Fatalf("staging: got %q, want %q", got, want)
	}
}

func TestGenericIDsAreDatasetWide(t *testing.T) {
	e := newEngine(t, Config{})
	e.Observe(dataset, res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`))
	e.Observe(dataset, res("GET", "/authors/1", 200, `{"id":1,"status":"published"}`))
	got := summary(e.Observe(dataset, res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`)))
	if want := []string{"update posts/1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q: the generic preset keys documents by id alone", got, want)
	}
}

func TestFilterDocument(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []Response
		want  map[string]any
		prev  map[string]any
	}{
		{
			name:  "stamps _id and _type, numbers are float64",
			steps: []Response{res("POST", "/posts", 201, `{"id":12,"title":"t","views":3,"tags":[1,"a"],"author":{"id":7}}`)},
			want:  map[string]any{"_id": "12", "_type": "posts", "id": 12.0, "title": "t", "views": 3.0, "tags": []any{1.0, "a"}, "author": map[string]any{"id": 7.0}},
		},
		{
			name:  "keeps the body's own _id and _type",
			steps: []Response{res("PUT", "/docs/a", 200, `{"_id":"a","_type":"post","type":"news"}`)},
			want:  map[string]any{"_id": "a", "_type": "post", "type": "news"},
		},
		{
			name:  "path id",
			steps: []Response{res("PATCH", "/posts/9", 200, `{"title":"t"}`)},
			want:  map[string]any{"_id": "9", "_type": "posts", "title": "t"},
		},
		{
			name:  "unwrapped envelope",
			steps: []Response{res("PUT", "/api/posts/1", 200, `{"data":{"id":1,"title":"t"},"meta":{"x":1}}`)},
			want:  map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "t"},
		},
		{
			name: "update carries the previous state",
			steps: []Response{
				res("GET", "/posts/1", 200, `{"id":1,"title":"old"}`),
				res("PUT", "/posts/1", 200, `{"id":1,"title":"new"}`),
			},
			want: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "new"},
			prev: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "old"},
		},
		{
			name: "bodiless delete shows the last known state",
			steps: []Response{
				res("GET", "/posts/1", 200, `{"id":1,"title":"old","category":"news"}`),
				res("DELETE", "/posts/1", 204, ""),
			},
			want: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "old", "category": "news"},
			prev: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "old", "category": "news"},
		},
		{
			name:  "bodiless delete of an unknown document",
			steps: []Response{res("DELETE", "/posts/1", 204, "")},
			want:  map[string]any{"_id": "1", "_type": "posts"},
		},
		{
			name: "partial delete body overlays the last known state",
			steps: []Response{
				res("GET", "/posts/1", 200, `{"id":1,"type":"post","title":"old"}`),
				res("DELETE", "/posts/1", 200, `{"id":1,"deleted":true}`),
			},
			want: map[string]any{"_id": "1", "_type": "post", "id": 1.0, "type": "post", "title": "old", "deleted": true},
			prev: map[string]any{"_id": "1", "_type": "post", "id": 1.0, "type": "post", "title": "old"},
		},
		{
			name: "bodiless update shows the last known state",
			steps: []Response{
				res("GET", "/posts/1", 200, `{"id":1,"title":"old"}`),
				res("PATCH", "/posts/1", 204, ""),
			},
			want: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "old"},
			prev: map[string]any{"_id": "1", "_type": "posts", "id": 1.0, "title": "old"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, Config{})
			var changes []Change
			for _, r := range tc.steps {
				changes = e.Observe(dataset, r)
			}
			if len(changes) != 1 {
				t.Fatalf("got %d changes, want 1", len(changes))
			}
			if !reflect.DeepEqual(changes[0].Doc, tc.want) {
				t.Errorf("Doc = %#v\nwant %#v", changes[0].Doc, tc.want)
			}
			if !reflect.DeepEqual(changes[0].Prev, tc.prev) {
				t.Errorf("Prev = %#v\nwant %#v", changes[0].Prev, tc.prev)
			}
		})
	}
}

func TestTypeChangeKeepsPreviousType(t *testing.T) {
	last := run(t, Config{},
		step{res("GET", "/posts/1", 200, `{"id":1,"type":"post"}`), nil},
		step{res("PUT", "/posts/1", 200, `{"id":1,"type":"page"}`), []string{"update page/1"}},
	)
	if got := last[0].Prev["_type"]; got != "post" {
		t.Fatalf("Prev._type = %v, want post", got)
	}
}

func TestNilCache(t *testing.T) {
	e, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Observe(dataset, res("GET", "/posts/1", 200, `{"id":1,"status":"draft"}`))
	got := summary(e.Observe(dataset, res("PUT", "/posts/1", 200, `{"id":1,"status":"published"}`)))
	if want := []string{"update posts/1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestNew(t *testing.T) {
	for _, name := range append(PresetNames(), "") {
		if _, err := New(Config{Preset: name}, nil); err != nil {
			t.Errorf("New(%q): %v", name, err)
		}
	}
	_, err := New(Config{Preset: "drupal"}, nil)
	if err == nil || !strings.Contains(err.Error(), `"drupal"`) || !strings.Contains(err.Error(), "directus, generic, ghost, json-server, payload, strapi, wordpress") {
		t.Fatalf("New(drupal) error = %v, want one naming the preset and listing the valid ones", err)
	}
}

func TestPresetNames(t *testing.T) {
	if got, want := PresetNames(), []string{"directus", "generic", "ghost", "json-server", "payload", "strapi", "wordpress"}; !slices.Equal(got, want) {
		t.Fatalf("PresetNames() = %q, want %q", got, want)
	}
}

func TestReads(t *testing.T) {
	for _, tc := range []struct {
		preset string
		status int
		want   bool
	}{
		{"generic", 200, true}, {"generic", 207, true}, {"generic", 400, false}, {"generic", 304, false},
		{"payload", 201, true}, {"payload", 400, true}, {"payload", 404, false}, {"payload", 500, false},
	} {
		if got := newEngine(t, Config{Preset: tc.preset}).Reads(tc.status); got != tc.want {
			t.Errorf("%s: Reads(%d) = %v, want %v", tc.preset, tc.status, got, tc.want)
		}
	}
}
