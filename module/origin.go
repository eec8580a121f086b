package module

import (
	"net/http"
	"net/url"
	"strings"
)

// originPolicy decides which browser origins may open a socket, against
// cross-site WebSocket hijacking. Requests without an Origin header (not from
// a browser) pass: they carry no ambient credentials.
type originPolicy struct {
	any     bool
	allowed map[string]struct{} // lower-case scheme://host[:port]
}

func newOriginPolicy(origins []string) originPolicy {
	p := originPolicy{allowed: make(map[string]struct{})}
	for _, o := range origins {
		if o == "*" {
			p.any = true
			continue
		}
		p.allowed[strings.ToLower(strings.TrimRight(o, "/"))] = struct{}{}
	}
	return p
}

func (p originPolicy) allows(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || p.any {
		return true
	}
	if len(p.allowed) > 0 {
		_, ok := p.allowed[strings.ToLower(origin)]
		return ok
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}
