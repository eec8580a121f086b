package infer

import (
	"strconv"
	"strings"
)

// lookup returns the value a field names in a document, or nil.
func lookup(doc map[string]any, field string) any {
	v, _ := lookupOK(doc, field)
	return v
}

// lookupOK returns the value a field names in a document and whether it is there. A
// field starting with a slash is a JSON pointer (RFC 6901) into the document; any
// other is a top-level name.
func lookupOK(doc map[string]any, field string) (any, bool) {
	if !strings.HasPrefix(field, "/") {
		v, ok := doc[field]
		return v, ok
	}
	var cur any = doc
	for tok := range strings.SplitSeq(field[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// validPointer reports a field that lookup reads: a top-level name, or a JSON pointer
// whose escapes are all ~0 or ~1.
func validPointer(field string) bool {
	if field == "" {
		return false
	}
	for i := 0; i < len(field); i++ {
		if field[i] == '~' && (i+1 == len(field) || (field[i+1] != '0' && field[i+1] != '1')) {
			return !strings.HasPrefix(field, "/")
		}
	}
	return true
}
