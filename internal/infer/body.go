package infer

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

var (
	utf8BOM    = []byte("\xef\xbb\xbf")
	xssiPrefix = []byte(")]}'")
	jsonNull   = []byte("null")
)

// trimBody strips surrounding whitespace, a byte order mark and an anti-XSSI prefix.
func trimBody(b []byte) []byte {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, utf8BOM))
	if rest, ok := bytes.CutPrefix(b, xssiPrefix); ok {
		rest = bytes.TrimSpace(rest)
		b = bytes.TrimSpace(bytes.TrimPrefix(rest, []byte(",")))
	}
	return b
}

// noDocument reports a trimmed body that holds nothing: empty or JSON null.
func noDocument(b []byte) bool {
	return len(b) == 0 || bytes.Equal(b, jsonNull)
}

// isJSON reports whether a Content-Type may hold JSON. An absent one may.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

// decode parses one JSON value, keeping numbers as json.Number so that numeric ids keep
// their exact digits; normalize turns them into float64 once ids are read.
func decode(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// normalize replaces every json.Number in a decoded document with its float64, the
// representation encoding/json and JavaScript give it. A number beyond float64's range
// becomes ±Inf, as JSON.parse makes it.
func normalize(doc map[string]any) {
	for k, v := range doc {
		if n, ok := normalized(v); ok {
			doc[k] = n
		}
	}
}

func normalized(v any) (any, bool) {
	switch v := v.(type) {
	case json.Number:
		f, _ := strconv.ParseFloat(string(v), 64)
		return f, true
	case map[string]any:
		normalize(v)
	case []any:
		for i, e := range v {
			if n, ok := normalized(e); ok {
				v[i] = n
			}
		}
	}
	return nil, false
}

// idString is the id a JSON value names: a non-empty string as is, a number as its
// decimal digits, anything else nothing.
func idString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		if isIntLiteral(string(v)) {
			return string(v)
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return strconv.FormatFloat(f, 'f', -1, 64)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func isIntLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// statusCode is the HTTP status a JSON value holds, or 0 when it holds none.
func statusCode(v any) int {
	n, ok := v.(json.Number)
	if !ok {
		return 0
	}
	i, err := strconv.Atoi(string(n))
	if err != nil || i < 100 || i > 599 {
		return 0
	}
	return i
}
