// Package groq compiles and evaluates GROQ listen filters.
//
// Editors' tools subscribe to document changes with the GROQ filters they already write
// for Sanity-style CMSs, such as
//
//	*[_type == "post" && defined(slug.current) && !(_id in path("drafts.**"))]
//
// A filter that matches one document too many floods a client and one that matches one
// too few silently loses an update, so this package follows the GROQ specification
// (GROQ-1.revision1) exactly as the reference implementation, groq-js, evaluates it:
// three-valued logic, null for anything missing, no implicit conversions.
//
// A query is compiled once per subscription with [Compile] and then matched against
// every changed document with [Filter.Match]. [Filter.Types] and [Index] let a hub skip
// the filters that can never match a document of a given _type. LANGUAGE.md beside this
// file lists the supported language and what is rejected.
package groq
