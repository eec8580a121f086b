package infer

import (
	"fmt"
	"strings"
	"testing"
)

// cmsPost is a typical headless-CMS document: about 1.5 KB with nested author, tags,
// SEO block and a rich-text body.
const cmsPost = `{"data":{"id":42,"documentId":"k7x2m9","title":"Shipping real-time previews",
"slug":"shipping-real-time-previews","status":"published","publishedAt":"2024-05-01T09:30:00.000Z",
"createdAt":"2024-04-28T14:02:11.000Z","updatedAt":"2024-05-01T09:30:00.000Z","locale":"en",
"excerpt":"How we wired the editor to the live site without touching the CMS.",
"body":[{"type":"paragraph","children":[{"type":"text","text":"Editors wanted to see their changes on the site as they typed, without a rebuild and without polling."}]},
{"type":"heading","level":2,"children":[{"type":"text","text":"The sidecar"}]},
{"type":"paragraph","children":[{"type":"text","text":"A reverse proxy sees every write. It only has to read the answers."}]}],
"author":{"id":7,"name":"Ada Example","email":"ada@example.com","avatar":{"url":"/uploads/ada.png","width":256,"height":256}},
"category":{"id":3,"name":"Engineering","slug":"engineering"},
"tags":[{"id":1,"name":"realtime"},{"id":4,"name":"caddy"},{"id":9,"name":"websocket"}],
"seo":{"metaTitle":"Shipping real-time previews","metaDescription":"Live previews for a headless CMS.","noindex":false},
"readingTime":4,"featured":true},"meta":{}}`

func BenchmarkObserveUpdate(b *testing.B) {
	e := newEngine(b, Config{})
	r := res("PUT", "/api/articles/42", 200, cmsPost)
	if got := summary(e.Observe(dataset, r)); len(got) != 1 || got[0] != "update articles/42" {
		b.Fatalf("Observe = %q", got)
	}
	b.SetBytes(int64(len(cmsPost)))
	b.ReportAllocs()
	for b.Loop() {
		e.Observe(dataset, r)
	}
}

func BenchmarkObserveCollectionRead(b *testing.B) {
	e := newEngine(b, Config{})
	inner := strings.TrimSuffix(strings.TrimPrefix(cmsPost, `{"data":`), `,"meta":{}}`)
	items := make([]string, 20)
	for i := range items {
		items[i] = strings.Replace(inner, `"id":42`, fmt.Sprintf(`"id":%d`, 100+i), 1)
	}
	body := `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"page":1}}}`
	r := res("GET", "/api/articles", 200, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		e.Observe(dataset, r)
	}
}
