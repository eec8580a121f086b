package infer

import (
	"net/url"
	"strings"
)

// strapi is Strapi 5. A document is named by its documentId, which its draft and
// published versions share (their numeric ids differ), and is unique in the whole
// database. Answers are {"data": …, "meta": …}, the admin's lists {"results": …}.
//
// Its type is the content type's singular name: the admin's uid api::article.article
// gives "article", the content API's plural /api/articles is made singular by the
// English rules Strapi's own pluralize applies to regular nouns (a `collection` route
// maps an irregular one).
//
// Publish state: the admin computes status "draft", "published" or "modified" (a
// published document with unpublished changes, still live); the content API shows
// the published version, publishedAt set, unless ?status=draft, which writes or reads
// only the draft and leaves the publish state as it was. The admin's
// actions/publish and actions/unpublish are a publish and an unpublish whatever the
// body says. DELETE answers 204 (content API) or {"documentId", "entries"} (admin).
//
// Not documents: the admin API (/admin), users and permissions (/api/auth,
// /api/users, /users-permissions), uploads (/upload, /api/upload), i18n and the
// content-type builder. Bulk actions answer only a count and give no event.
var strapi = Preset{
	Name:              "strapi",
	IDFields:          []string{"documentId"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"published", "modified"},
	PublishedAtFields: []string{"publishedAt"},
	Envelopes:         []string{"data", "results"},
	route:             strapiRoute,
}

// strapiSkipped are the content API's first segments that are not content types.
var strapiSkipped = map[string]bool{"auth": true, "users": true, "upload": true, "connect": true, "i18n": true}

func strapiRoute(_, path string, query url.Values) route {
	segs := segments(path)
	for i, s := range segs {
		switch s {
		case "api":
			return strapiContent(segs[i+1:], query)
		case "content-manager":
			return strapiAdmin(segs[i+1:])
		case "admin", "upload", "users-permissions", "i18n", "content-type-builder", "email":
			return route{skip: true}
		}
	}
	return route{skip: true}
}

// strapiContent reads a content API route: /api/<plural or single type>[/<documentId>].
func strapiContent(segs []string, query url.Values) route {
	if len(segs) == 0 || len(segs) > 2 || strapiSkipped[segs[0]] {
		return route{skip: true}
	}
	r := route{exact: true, collection: singular(segs[0]), draft: query.Get("status") == "draft"}
	if len(segs) == 2 {
		r.id = segs[1]
	}
	return r
}

// strapiAdmin reads a content-manager route:
// /content-manager/{collection,single}-types/<uid>[/<documentId>][/actions/<action>],
// .../clone/<sourceId> and .../auto-clone/<sourceId>.
func strapiAdmin(segs []string) route {
	if len(segs) < 2 || (segs[0] != "collection-types" && segs[0] != "single-types") {
		return route{skip: true}
	}
	r := route{exact: true, collection: strapiUIDType(segs[1])}
	rest := segs[2:]
	switch {
	case len(rest) >= 1 && (rest[0] == "clone" || rest[0] == "auto-clone"):
		r.op = Create
		return r
	case len(rest) >= 1 && rest[0] != "actions":
		r.id, rest = rest[0], rest[1:]
	}
	if len(rest) == 0 {
		return r
	}
	if len(rest) != 2 || rest[0] != "actions" {
		return route{skip: true}
	}
	switch rest[1] {
	case "publish":
		// A collection type's publish without a documentId creates the document.
		r.op = Publish
		if r.id == "" && segs[0] == "collection-types" {
			r.op = Create
		}
	case "unpublish":
		r.op = Unpublish
	case "discard":
	default:
		// bulkPublish, bulkUnpublish, bulkDelete, countDraftRelations…: a count, no documents.
		return route{skip: true}
	}
	return r
}

// strapiUIDType is the type a content type's uid names: api::article.article gives
// article, plugin::users-permissions.user gives user.
func strapiUIDType(uid string) string {
	if _, name, ok := strings.Cut(uid, "."); ok {
		return name
	}
	return uid
}

// singular makes a regular English plural singular: categories, boxes, articles.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "zes"),
		strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s
}
