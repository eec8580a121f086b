// Package doccache remembers the last state the proxy saw of each document.
//
// A CMS response rarely says what a write changed. Whether a PATCH published a post, and
// which subscriptions a delete answered with 204 No Content concerns, both depend on what
// the document looked like before: its type, whether it was published, and its fields.
// The cache keeps exactly that for the documents recently read or written through the
// proxy, bounded in bytes, so that inference can compare against it.
//
// The cache is a ristretto cache whose cost is the approximate in-memory size of the
// document. A [Cache.Set] is visible to the very next [Cache.Get] unless the admission
// policy turned the entry away because the cache is full of more frequently used
// documents; losing an entry only makes later inferences less precise, never wrong in
// kind (an unknown previous state yields an update).
package doccache
