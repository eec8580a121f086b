package infer

// jsonServer is json-server (0.17 and 1.x): every top-level key of db.json is a
// collection whose ids (numbers in 0.17, strings in 1.x) are unique only within it, and
// responses are the bare document or array. A document's own data or doc field is
// content, never an envelope. POST answers 201, PUT and PATCH 200 with the document, and
// DELETE 200 with {} (0.17) or the deleted document (1.x).
var jsonServer = Preset{
	Name:              "json-server",
	IDFields:          []string{"_id", "id"},
	TypeFields:        []string{"_type", "type"},
	StatusFields:      []string{"status"},
	PublishedStatuses: []string{"published", "publish"},
	PublishedAtFields: []string{"publishedAt", "published_at"},
	ScopedIDs:         true,
}
