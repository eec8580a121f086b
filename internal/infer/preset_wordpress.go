package infer

import (
	"net/url"
	"strings"
)

// wordPress is the WordPress REST API (wp/v2 and batch/v1), under /wp-json or as
// ?rest_route= on sites without pretty permalinks. Every document is a post of some
// post type ("post", "page", a custom one), a term ("category", "post_tag", …) or a
// comment; each kind numbers its ids on its own. A write answers the document, a
// forced delete {"deleted":true,"previous":{…}}, and a batch
// {"responses":[{"body","status","headers"}…]} with 207.
//
// Published is status "publish" (and an approved comment); "future", "draft",
// "pending" and "private" are not public, so they are unpublished. "trash" is the
// trash: DELETE without ?force moves a post there, which is a delete for the sidecar,
// as the post leaves the site and every list but the Trash; a later update out of
// the trash is a create, and a forced delete of a trashed post a delete again.
var wordPress = Preset{
	Name:              "wordpress",
	IDFields:          []string{"id"},
	TypeFields:        []string{"type", "taxonomy"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"publish", "approved"},
	TrashStatuses:     []string{"trash"},
	route:             wordPressRoute,
	items:             wordPressItems,
	scope:             wordPressScope,
}

// wordPressSkipped are the wp/v2 routes that hold no editorial documents: users,
// uploads, settings and the site's configuration.
var wordPressSkipped = map[string]bool{
	"users": true, "media": true, "settings": true, "themes": true, "plugins": true,
	"block-types": true, "block-renderer": true, "block-directory": true, "search": true,
	"statuses": true, "types": true, "taxonomies": true, "sidebars": true, "widgets": true,
	"widget-types": true, "menu-locations": true, "global-styles": true, "pattern-directory": true,
	"block-patterns": true, "font-collections": true, "font-families": true, "templates/lookup": true,
}

// wordPressPathIDs are the rest bases whose ids are "theme//slug", slashes included.
var wordPressPathIDs = map[string]bool{"templates": true, "template-parts": true}

func wordPressRoute(_, path string, query url.Values) route {
	if rr := query.Get("rest_route"); rr != "" {
		path = rr
	}
	segs := segments(path)
	for i := 0; i+1 < len(segs); i++ {
		switch segs[i] + "/" + segs[i+1] {
		case "batch/v1":
			return route{batch: true}
		case "wp/v2":
			return wordPressV2(path, segs[i+2:])
		}
	}
	return route{skip: true}
}

// wordPressV2 reads a wp/v2 route: /wp/v2/<rest base>[/<id>].
func wordPressV2(path string, segs []string) route {
	if len(segs) == 0 || wordPressSkipped[segs[0]] {
		return route{skip: true}
	}
	base := segs[0]
	if wordPressPathIDs[base] {
		// The id keeps its double slash, which segments dropped.
		_, id, _ := strings.Cut(path, "/wp/v2/"+base+"/")
		id = strings.Trim(id, "/")
		if strings.HasSuffix(id, "/autosaves") || strings.Contains(id, "/revisions") || id == "lookup" {
			return route{skip: true}
		}
		return route{exact: true, collection: base, id: id}
	}
	switch len(segs) {
	case 1:
		return route{exact: true, collection: base}
	case 2:
		return route{exact: true, collection: base, id: segs[1]}
	}
	// Autosaves, revisions and other sub-resources are not the document.
	return route{skip: true}
}

// wordPressItems reads a document, a forced delete's {"deleted":true,"previous":…}, or
// a batch's responses, each with its own status.
func wordPressItems(_ *Preset, v any) ([]item, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return generic.unwrap(v)
	}
	responses, ok := obj["responses"].([]any)
	if !ok {
		return []item{wordPressItem(obj, 0)}, false
	}
	items := make([]item, 0, len(responses))
	for _, r := range responses {
		r, ok := r.(map[string]any)
		if !ok {
			continue
		}
		body, ok := r["body"].(map[string]any)
		if !ok {
			continue
		}
		items = append(items, wordPressItem(body, statusCode(r["status"])))
	}
	return items, true
}

func wordPressItem(body map[string]any, status int) item {
	if body["deleted"] == true {
		if prev, ok := body["previous"].(map[string]any); ok {
			return item{doc: prev, status: status, gone: true}
		}
	}
	return item{doc: body, status: status}
}

// wordPressScope is the table a document's id is unique in: terms and comments have
// ids of their own, every post type shares the posts'.
func wordPressScope(collection string, doc map[string]any) string {
	switch {
	case doc == nil && (collection == "categories" || collection == "tags"):
		return "terms"
	case doc == nil && collection == "comments":
		return "comments"
	case doc == nil:
		return "posts"
	case doc["taxonomy"] != nil:
		return "terms"
	case doc["type"] == "comment":
		return "comments"
	}
	return "posts"
}
