package module

import (
	"net/http"
	"strings"
)

// effectiveMethod is the method the CMS will act on: a POST may tunnel
// another through X-HTTP-Method-Override, X-HTTP-Method or a _method query
// parameter (WordPress). Bodies are never read, so a _method form field is
// not seen.
func effectiveMethod(r *http.Request) string {
	if r.Method != http.MethodPost {
		return r.Method
	}
	// Canonical keys, looked up as they are: Header.Get would canonicalize
	// a spelling such as "X-HTTP-Method" into a new string on every POST.
	for _, key := range [...]string{"X-Http-Method-Override", "X-Http-Method"} {
		if v := r.Header[key]; len(v) > 0 && v[0] != "" {
			return overridden(v[0])
		}
	}
	if strings.Contains(r.URL.RawQuery, "_method=") {
		if m := r.URL.Query().Get("_method"); m != "" {
			return overridden(m)
		}
	}
	return http.MethodPost
}

// overridden accepts only the write methods as a tunnelled method.
func overridden(m string) string {
	switch m = strings.ToUpper(strings.TrimSpace(m)); m {
	case http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost:
		return m
	}
	return http.MethodPost
}

// inspected reports whether responses to method feed inference: writes, and
// reads (which warm the document cache).
func inspected(method string) bool {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}
