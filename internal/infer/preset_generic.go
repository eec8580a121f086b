package infer

// generic is the preset of PROTOCOL.md's inference rules, for a CMS with no preset of
// its own: Sanity-style _id/_type, else id/type; status or publishedAt; data or doc
// envelopes.
var generic = Preset{
	Name:              "generic",
	IDFields:          []string{"_id", "id"},
	TypeFields:        []string{"_type", "type"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"published", "publish"},
	PublishedAtFields: []string{"publishedAt", "published_at"},
	Envelopes:         []string{"data", "doc"},
}
