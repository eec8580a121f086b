package module

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestEffectiveMethod(t *testing.T) {
	cases := []struct {
		method, target string
		header         map[string]string
		want           string
	}{
		{"GET", "/posts", nil, "GET"},
		{"PUT", "/posts/1?_method=DELETE", nil, "PUT"}, // only a POST tunnels
		{"POST", "/posts", nil, "POST"},
		{"POST", "/posts/1", map[string]string{"X-HTTP-Method-Override": "patch"}, "PATCH"},
		{"POST", "/posts/1", map[string]string{"X-HTTP-Method": "DELETE"}, "DELETE"},
		{"POST", "/wp-json/wp/v2/posts/1?_method=PUT", nil, "PUT"},
		{"POST", "/posts/1?_method=GET", nil, "POST"}, // a read is not tunnelled
		{"POST", "/posts/1", map[string]string{"X-HTTP-Method-Override": "TRACE"}, "POST"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		if got := effectiveMethod(r); got != tc.want {
			t.Errorf("%s %s %v → %s, want %s", tc.method, tc.target, tc.header, got, tc.want)
		}
	}
}

func TestOriginPolicy(t *testing.T) {
	req := func(host, origin string) *http.Request {
		r := httptest.NewRequest("GET", "http://"+host+"/ws", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		return r
	}
	same := newOriginPolicy(nil)
	listed := newOriginPolicy([]string{"https://studio.example.com/", "http://localhost:3333"})
	cases := []struct {
		p    originPolicy
		r    *http.Request
		want bool
	}{
		{same, req("cms.example.com", ""), true}, // not a browser
		{same, req("cms.example.com", "https://cms.example.com"), true},
		{same, req("cms.example.com:8080", "http://cms.example.com:8080"), true},
		{same, req("cms.example.com", "https://evil.example"), false},
		{same, req("cms.example.com", "null"), false},
		{listed, req("cms.example.com", "https://STUDIO.example.com"), true},
		{listed, req("cms.example.com", "http://localhost:3333"), true},
		{listed, req("cms.example.com", "https://cms.example.com"), false}, // a list replaces same-host
		{newOriginPolicy([]string{"*"}), req("a", "https://anything"), true},
	}
	for i, tc := range cases {
		if got := tc.p.allows(tc.r); got != tc.want {
			t.Errorf("case %d: Origin %q on host %q → %v, want %v", i, tc.r.Header.Get("Origin"), tc.r.Host, got, tc.want)
		}
	}
}

func TestRequestToken(t *testing.T) {
	r := httptest.NewRequest("GET", "/ws?token=q", nil)
	r.Header.Set("Authorization", "Bearer h")
	if tok, viaProto := requestToken(r); tok != "q" || viaProto {
		t.Errorf("query token: %q %v", tok, viaProto)
	}
	r = httptest.NewRequest("GET", "/ws", nil)
	r.Header.Set("Authorization", "bearer h.e.s")
	if tok, _ := requestToken(r); tok != "h.e.s" {
		t.Errorf("bearer header: %q", tok)
	}
	r = httptest.NewRequest("GET", "/ws", nil)
	r.Header.Set("Sec-WebSocket-Protocol", "cellcms, bearer.a.b.c")
	if tok, viaProto := requestToken(r); tok != "a.b.c" || !viaProto {
		t.Errorf("subprotocol: %q %v", tok, viaProto)
	}
	r = httptest.NewRequest("GET", "/ws", nil)
	r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if tok, _ := requestToken(r); tok != "" {
		t.Errorf("basic auth taken as a token: %q", tok)
	}
}

func TestResumePoint(t *testing.T) {
	if p := resumePoint(url.Values{}); p != nil {
		t.Errorf("no since → %+v", p)
	}
	if p := resumePoint(url.Values{"since": {"42"}, "epoch": {"e"}}); p == nil || p.Since != 42 || p.Epoch != "e" {
		t.Errorf("since=42 → %+v", p)
	}
	// A since that is not a number still asks to resume, from a point no
	// history can serve, so the client is told to reset.
	if p := resumePoint(url.Values{"since": {"x"}, "epoch": {"e"}}); p == nil || p.Since != math.MaxUint64 {
		t.Errorf("since=x → %+v", p)
	}
}

func TestSSEPath(t *testing.T) {
	h := &Handler{Path: "/ws"}
	for path, want := range map[string]bool{"/ws/sse": true, "/ws": false, "/ws/sse/x": false, "/wss/sse": false, "/sse": false} {
		if got := h.isSSEPath(path); got != want {
			t.Errorf("isSSEPath(%q) = %v", path, got)
		}
	}
}
