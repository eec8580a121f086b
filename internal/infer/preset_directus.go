package infer

import "net/url"

// directus is Directus (10 and 11). Documents are the items of user collections, under
// /items/<collection>[/<primary key>]; primary keys are unique only within their
// collection, and their field is the collection's own choice ("id" unless configured:
// id_field). Answers are {"data": …}, an array for a batch; a DELETE answers 204.
// A singleton's PATCH /items/<collection> answers its one item.
//
// Published is the collection's status field holding "published" (Directus's default
// values are published, draft and archived; status_field and published values adapt
// another choice). Archiving is unpublishing.
//
// Not documents: everything outside /items (auth, users, files, settings, schema,
// flows, …). A batch delete answers 204 without keys and gives no event.
var directus = Preset{
	Name:              "directus",
	IDFields:          []string{"id"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"published"},
	Envelopes:         []string{"data"},
	ScopedIDs:         true,
	route:             directusRoute,
}

func directusRoute(_, path string, _ url.Values) route {
	segs := segments(path)
	for i, s := range segs {
		if s != "items" {
			continue
		}
		switch rest := segs[i+1:]; len(rest) {
		case 1:
			return route{exact: true, collection: rest[0]}
		case 2:
			return route{exact: true, collection: rest[0], id: rest[1]}
		}
		return route{skip: true}
	}
	return route{skip: true}
}
