package module

import (
	"net/http/httptest"
	"testing"
)

func TestRedactQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"token=abc":                          "token=REDACTED",
		"dataset=a&token=abc&since=3":        "dataset=a&token=REDACTED&since=3",
		"to%6Ben=abc":                        "to%6Ben=REDACTED",
		"token=a&token=b":                    "token=REDACTED&token=REDACTED",
		"tokens=abc&mytoken=x":               "tokens=abc&mytoken=x",
		"query=*%5B_type%3D%3D%22post%22%5D": "query=*%5B_type%3D%3D%22post%22%5D",
		"token":                              "token=REDACTED",
	} {
		if got := redactQuery(raw); got != want {
			t.Errorf("redactQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestRedactedRequestHidesEveryToken(t *testing.T) {
	r := httptest.NewRequest("GET", "/ws?dataset=a&token=secret1", nil)
	r.Header.Set("Sec-WebSocket-Protocol", "cellcms, bearer.secret2")
	r.Header.Set("Authorization", "Bearer secret3")
	c := redactedRequest(r)
	if c.RequestURI != "/ws?dataset=a&token=REDACTED" {
		t.Errorf("RequestURI = %q", c.RequestURI)
	}
	if got := c.Header.Get("Sec-WebSocket-Protocol"); got != "cellcms, bearer.REDACTED" {
		t.Errorf("Sec-WebSocket-Protocol = %q", got)
	}
	// The original is untouched: the handler still reads its token.
	if r.URL.Query().Get("token") != "secret1" || r.Header.Get("Sec-WebSocket-Protocol") != "cellcms, bearer.secret2" {
		t.Errorf("the request itself was changed: %q %q", r.URL.RawQuery, r.Header.Get("Sec-WebSocket-Protocol"))
	}
	if !tokenInURLOrProtocol(r) {
		t.Error("tokenInURLOrProtocol missed the tokens")
	}
	if tokenInURLOrProtocol(httptest.NewRequest("GET", "/ws?dataset=a", nil)) {
		t.Error("tokenInURLOrProtocol saw a token in a request without one")
	}
}
