package infer

import (
	"net/url"
	"regexp"
)

// ghost is the Ghost Admin API (5.x; the versioned /ghost/api/v3/admin/ paths of older
// releases too). Documents are posts, pages and tags, with 24-hex ids unique in the
// whole site, answered as {"posts": [{…}]}, {"pages": …} or {"tags": …}; DELETE
// answers 204. Their type is "post", "page" or "tag".
//
// Published is status "published"; "draft", "scheduled" and "sent" (an email-only
// post) are not on the site. POST …/<id>/copy is a create.
//
// Not documents: the session, users, members, images and media uploads, settings,
// themes, tiers, newsletters, webhooks; the Content API only reads. Bulk edits and
// deletes by filter (…/posts/bulk, DELETE …/posts/?filter=) answer no ids and give no
// event.
var ghost = Preset{
	Name:              "ghost",
	IDFields:          []string{"id"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"published"},
	Envelopes:         []string{"posts", "pages", "tags"},
	route:             ghostRoute,
}

var (
	ghostAdmin = regexp.MustCompile(`/ghost/api/(?:v\d+(?:\.\d+)?/|canary/)?admin/(posts|pages|tags)(?:/([0-9a-f]{24})(/copy)?)?/?$`)
	ghostTypes = map[string]string{"posts": "post", "pages": "page", "tags": "tag"}
)

func ghostRoute(_, path string, _ url.Values) route {
	m := ghostAdmin.FindStringSubmatch(path)
	if m == nil {
		return route{skip: true}
	}
	r := route{exact: true, collection: ghostTypes[m[1]], id: m[2]}
	if m[3] != "" {
		r.id, r.op = "", Create
	}
	return r
}
