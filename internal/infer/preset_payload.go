package infer

import (
	"net/url"
	"strings"
)

// payload is Payload 3 (and 2) under /api. Documents are the docs of collections, at
// /api/<collection>[/<id>], and globals, at /api/globals/<slug>, whose id and type
// are their slug. Ids are numbers unique within a collection on SQL databases, hex
// ObjectIds on MongoDB. A write answers {"doc": …, "message"}, a global's
// {"result": …}, a bulk update or delete by where {"docs": […], "errors": […]}: with
// 400 when some documents failed, the ones it lists still changed, each an event.
//
// With drafts enabled, _status is "published" or "draft". A write with ?draft=true
// saves a draft beside the published version and leaves the publish state as it
// was; the admin's Unpublish saves _status "draft" without it, and the unpublish
// endpoint is an unpublish. With trash enabled, a document whose deletedAt is set is
// in the trash: moving it there is a delete, restoring it a create.
//
// Not documents: the users collection, the media (upload) collection, Payload's own
// payload-* collections (preferences, document locks, jobs, migrations), and the
// auth operations of any collection (login, logout, me, refresh-token, …).
var payload = Preset{
	Name:              "payload",
	IDFields:          []string{"id"},
	StatusFields:      []string{"_status"},
	PublishedStatuses: []string{"published"},
	DeletedAtFields:   []string{"deletedAt"},
	Envelopes:         []string{"doc", "docs", "result"},
	ScopedIDs:         true,
	PartialStatus:     400,
	route:             payloadRoute,
}

var (
	payloadSkipped    = map[string]bool{"users": true, "media": true, "graphql": true, "graphql-playground": true, "access": true}
	payloadAuthAction = map[string]bool{
		"login": true, "logout": true, "me": true, "refresh-token": true, "forgot-password": true,
		"reset-password": true, "verify": true, "unlock": true, "first-register": true, "init": true,
		"access": true, "count": true,
	}
)

func payloadRoute(_, path string, query url.Values) route {
	segs := segments(path)
	i := 0
	for i < len(segs) && segs[i] != "api" {
		i++
	}
	if i == len(segs) {
		return route{skip: true}
	}
	segs = segs[i+1:]
	draft := query.Get("draft") == "true"
	if len(segs) >= 2 && segs[0] == "globals" {
		if len(segs) != 2 {
			return route{skip: true}
		}
		return route{exact: true, collection: segs[1], id: segs[1], idFromPath: true, draft: draft}
	}
	if len(segs) == 0 || payloadSkipped[segs[0]] || strings.HasPrefix(segs[0], "payload-") {
		return route{skip: true}
	}
	r := route{exact: true, collection: segs[0], draft: draft}
	switch rest := segs[1:]; {
	case len(rest) == 0:
	case payloadAuthAction[rest[0]]:
		return route{skip: true}
	case len(rest) == 2 && rest[0] == "versions":
		// Restoring a version rewrites the document the version belongs to.
		r.op = Update
	case len(rest) == 1:
		r.id = rest[0]
	case len(rest) == 2 && rest[1] == "duplicate":
		r.op = Create
	case len(rest) == 2 && rest[1] == "unpublish":
		r.id, r.op = rest[0], Unpublish
	default:
		return route{skip: true}
	}
	return r
}
