package infer

import (
	"net/url"
	"testing"
)

func TestPresetRoutes(t *testing.T) {
	for _, tc := range []struct {
		preset, method, path, query string
		want                        route
	}{
		// WordPress
		{"wordpress", "POST", "/wp-json/wp/v2/posts", "", route{exact: true, collection: "posts"}},
		{"wordpress", "POST", "/wp-json/wp/v2/posts/5/", "", route{exact: true, collection: "posts", id: "5"}},
		{"wordpress", "POST", "/blog/wp-json/wp/v2/pages/7", "", route{exact: true, collection: "pages", id: "7"}},
		{"wordpress", "POST", "/index.php", "rest_route=/wp/v2/posts/5", route{exact: true, collection: "posts", id: "5"}},
		{"wordpress", "POST", "/wp-json/batch/v1", "", route{batch: true}},
		{"wordpress", "PUT", "/wp-json/wp/v2/template-parts/twentytwentyfour//header", "", route{exact: true, collection: "template-parts", id: "twentytwentyfour//header"}},
		{"wordpress", "POST", "/wp-json/wp/v2/templates/twentytwentyfour//home/autosaves", "", route{skip: true}},
		{"wordpress", "POST", "/wp-json/wp/v2/posts/5/autosaves", "", route{skip: true}},
		{"wordpress", "POST", "/wp-json/wp/v2/users/me", "", route{skip: true}},
		{"wordpress", "POST", "/wp-json/wp/v2/media", "", route{skip: true}},
		{"wordpress", "POST", "/wp-json/wp/v2", "", route{skip: true}},
		{"wordpress", "POST", "/wp-json/wc/v3/products/1", "", route{skip: true}},
		{"wordpress", "POST", "/wp-admin/admin-ajax.php", "", route{skip: true}},

		// Strapi
		{"strapi", "POST", "/api/articles", "", route{exact: true, collection: "article"}},
		{"strapi", "PUT", "/api/categories/abc", "status=draft", route{exact: true, collection: "category", id: "abc", draft: true}},
		{"strapi", "PUT", "/api/addresses/abc", "", route{exact: true, collection: "address", id: "abc"}},
		{"strapi", "PUT", "/api/articles/abc/extra", "", route{skip: true}},
		{"strapi", "POST", "/api/auth/local", "", route{skip: true}},
		{"strapi", "POST", "/api/upload", "", route{skip: true}},
		{"strapi", "POST", "/admin/renew-token", "", route{skip: true}},
		{"strapi", "POST", "/content-manager/collection-types/api::article.article/abc/actions/publish", "", route{exact: true, collection: "article", id: "abc", op: Publish}},
		{"strapi", "POST", "/content-manager/collection-types/api::article.article/abc/actions/unpublish", "", route{exact: true, collection: "article", id: "abc", op: Unpublish}},
		{"strapi", "POST", "/content-manager/collection-types/api::article.article/actions/publish", "", route{exact: true, collection: "article", op: Create}},
		{"strapi", "POST", "/content-manager/single-types/api::home.home/actions/publish", "", route{exact: true, collection: "home", op: Publish}},
		{"strapi", "POST", "/content-manager/collection-types/api::article.article/auto-clone/abc", "", route{exact: true, collection: "article", op: Create}},
		{"strapi", "POST", "/content-manager/collection-types/api::article.article/actions/bulkPublish", "", route{skip: true}},
		{"strapi", "POST", "/content-manager/collection-types/plugin::users-permissions.user", "", route{exact: true, collection: "user"}},
		{"strapi", "GET", "/content-manager/relations/api::article.article/abc/tags", "", route{skip: true}},
		{"strapi", "GET", "/", "", route{skip: true}},

		// Directus
		{"directus", "POST", "/items/articles", "", route{exact: true, collection: "articles"}},
		{"directus", "PATCH", "/cms/items/articles/15", "", route{exact: true, collection: "articles", id: "15"}},
		{"directus", "PATCH", "/items/articles/15/x", "", route{skip: true}},
		{"directus", "PATCH", "/items", "", route{skip: true}},
		{"directus", "POST", "/users", "", route{skip: true}},

		// Ghost
		{"ghost", "POST", "/ghost/api/admin/posts/", "", route{exact: true, collection: "post"}},
		{"ghost", "PUT", "/ghost/api/admin/pages/5b7ada404f87d200b5b1f9c8/", "", route{exact: true, collection: "page", id: "5b7ada404f87d200b5b1f9c8"}},
		{"ghost", "PUT", "/ghost/api/v3/admin/tags/5b7ada404f87d200b5b1f9c8", "", route{exact: true, collection: "tag", id: "5b7ada404f87d200b5b1f9c8"}},
		{"ghost", "POST", "/ghost/api/admin/posts/5b7ada404f87d200b5b1f9c8/copy/", "", route{exact: true, collection: "post", op: Create}},
		{"ghost", "PUT", "/ghost/api/admin/posts/bulk/", "", route{skip: true}},
		{"ghost", "POST", "/ghost/api/content/posts/", "", route{skip: true}},
		{"ghost", "POST", "/ghost/api/admin/members/", "", route{skip: true}},

		// Payload
		{"payload", "POST", "/api/posts", "draft=true", route{exact: true, collection: "posts", draft: true}},
		{"payload", "PATCH", "/api/posts/12", "", route{exact: true, collection: "posts", id: "12"}},
		{"payload", "POST", "/api/globals/header", "", route{exact: true, collection: "header", id: "header", idFromPath: true}},
		{"payload", "POST", "/api/globals/header/versions/3", "", route{skip: true}},
		{"payload", "POST", "/api/posts/12/duplicate", "", route{exact: true, collection: "posts", op: Create}},
		{"payload", "POST", "/api/posts/12/unpublish", "", route{exact: true, collection: "posts", id: "12", op: Unpublish}},
		{"payload", "POST", "/api/posts/versions/99", "", route{exact: true, collection: "posts", op: Update}},
		{"payload", "POST", "/api/posts/login", "", route{skip: true}},
		{"payload", "POST", "/api/posts/verify/tok", "", route{skip: true}},
		{"payload", "POST", "/api/posts/access/12", "", route{skip: true}},
		{"payload", "POST", "/api/users", "", route{skip: true}},
		{"payload", "POST", "/api/payload-jobs", "", route{skip: true}},
		{"payload", "POST", "/graphql", "", route{skip: true}},
	} {
		t.Run(tc.preset+" "+tc.method+" "+tc.path+"?"+tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := presets[tc.preset].route(tc.method, tc.path, q); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSingular(t *testing.T) {
	for plural, want := range map[string]string{
		"articles": "article", "categories": "category", "addresses": "address", "boxes": "box",
		"matches": "match", "wishes": "wish", "status": "status",
		"analysis": "analysis", "glass": "glass", "homepage": "homepage", "keys": "key",
	} {
		if got := singular(plural); got != want {
			t.Errorf("singular(%q) = %q, want %q", plural, got, want)
		}
	}
}

func TestPathPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, path, rest string
		ok                  bool
	}{
		{"/api/articles/*", "/api/articles", "", true},
		{"/api/articles/*", "/api/articles/", "", true},
		{"/api/articles/*", "/api/articles/5", "5", true},
		{"/api/articles/*", "/api/articles/a/b.c/", "a/b.c", true},
		{"/api/articles/*", "/api/articlesX/5", "", false},
		{"/api/articles/*", "/api/other", "", false},
		{"/auth/login", "/auth/login/", "", true},
		{"/auth/login", "/auth/login/x", "", false},
	} {
		rest, ok := PathPattern(tc.pattern).match(tc.path)
		if rest != tc.rest || ok != tc.ok {
			t.Errorf("%s matching %s = %q, %v; want %q, %v", tc.pattern, tc.path, rest, ok, tc.rest, tc.ok)
		}
	}
}

func TestLookup(t *testing.T) {
	doc := map[string]any{
		"id": "top", "a/b": "slash", "m~n": "tilde", "": "empty",
		"sys": map[string]any{"id": "nested", "list": []any{"zero", map[string]any{"x": nil}}},
	}
	for _, tc := range []struct {
		field string
		want  any
		ok    bool
	}{
		{"id", "top", true},
		{"/id", "top", true},
		{"/sys/id", "nested", true},
		{"/sys/list/0", "zero", true},
		{"/sys/list/1/x", nil, true},
		{"/sys/list/01", nil, false},
		{"/sys/list/2", nil, false},
		{"/sys/list/-1", nil, false},
		{"/a~1b", "slash", true},
		{"/m~0n", "tilde", true},
		{"/", "empty", true},
		{"/id/deeper", nil, false},
		{"/missing", nil, false},
	} {
		got, ok := lookupOK(doc, tc.field)
		if got != tc.want || ok != tc.ok {
			t.Errorf("lookupOK(%q) = %v, %v; want %v, %v", tc.field, got, ok, tc.want, tc.ok)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"bad pointer escape", Config{IDField: "/a~2b"}},
		{"dangling escape", Config{StatusField: "/a~"}},
		{"relative collection", Config{Collections: []Collection{{Path: "api/*", Type: "x"}}}},
		{"wildcard inside", Config{Collections: []Collection{{Path: "/api/*/x", Type: "x"}}}},
		{"collection without type", Config{Collections: []Collection{{Path: "/api/*"}}}},
		{"relative ignore", Config{Ignore: []PathPattern{"auth/*"}}},
	} {
		if _, err := New(tc.cfg, nil); err == nil {
			t.Errorf("%s: New(%+v) succeeded", tc.name, tc.cfg)
		}
	}
	if _, err := New(Config{IDField: "a~b", Envelope: "/result/items"}, nil); err != nil {
		t.Errorf("a top-level name may hold a tilde: %v", err)
	}
}
