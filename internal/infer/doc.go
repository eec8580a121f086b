// Package infer turns the responses a reverse proxy sees into document changes.
//
// The CMS behind the proxy is unmodified: it has no change feed and sends no webhooks,
// so the only evidence of a change is the answer to a successful write. This package
// reads that answer the way PROTOCOL.md's "Events" section specifies: it finds the
// document's id and type, decides whether the write created, updated, deleted, published
// or unpublished it, and reports the document as the response showed it, so that the hub
// can match it against GROQ filters. Where the answer alone cannot tell (a 204 to a
// DELETE, a draft becoming published), the last state seen of the document, kept in a
// [doccache.Cache], fills the gap; reads of documents warm that cache.
//
// How each CMS shapes its routes, ids, types, publish state and response envelopes is
// data: a [Preset], one file per CMS (preset_*.go, whose comments say what each CMS
// answers and which of its routes hold no documents), with a few small functions
// where data cannot say it. The rules themselves are the same for all of them. A
// [Config] adapts any preset to a backend it does not know: fields as JSON pointers,
// published values, path-to-type mappings and ignored paths. README.md's "CMS presets" section is the
// user's guide.
//
// Choices the protocol leaves open:
//
//   - Reads of a collection warm the cache like reads of a single document: the body was
//     captured anyway, decoding it costs about what the CMS spent encoding it, and it lets
//     a publish or a bodiless delete of a document only ever listed be inferred precisely.
//   - A body may start with a UTF-8 byte order mark or the anti-XSSI prefix ")]}'"
//     (optionally followed by a comma); both are stripped before parsing.
//   - A body whose Content-Type is absent is parsed if it is JSON; any other non-JSON
//     media type yields nothing. A body of JSON null counts as no body.
//   - A publishedAt or published_at that is null or "" means unpublished.
//   - A write whose body was truncated yields no change but makes the cache forget the
//     document its path names, whose last state is no longer known.
//   - A delete whose body shows only part of the document is matched against the last
//     known state overlaid with that part, and its type is that document's.
//   - A single document whose path does not end with its id (PUT /posts/my-slug, a
//     second id such as Strapi's documentId) belongs to the collection before the last
//     segment; the last segment is the collection only of a POST or a batch.
//   - A write that moves a document to the trash (WordPress status "trash", Payload's
//     deletedAt) is a delete: it leaves the site and every list but the trash. The
//     document stays known, trashed, so that restoring it is a create; deleting it for
//     good is a delete again, which clients that dropped it already ignore.
//   - A write of a draft beside the published version (Strapi's ?status=draft,
//     Payload's ?draft=true) leaves the publish state as it was; so does a read of
//     drafts.
//   - The documents of a batch answered with a status each (WordPress's batch/v1) are
//     events when their own status is 2xx; a bulk write that failed in part (Payload's
//     400 with docs and errors) still reports the documents it lists as changed.
//   - A route's own action (Strapi's actions/publish) decides the operation, unless the
//     document was known to be in that state already.
//   - Numbers in documents become float64, as in encoding/json and in JavaScript; an id
//     that is a number keeps its exact digits as a string.
package infer
