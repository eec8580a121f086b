package infer

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func TestTrimBody(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"  \n":                     "",
		`{"a":1}`:                  `{"a":1}`,
		" \t{\"a\":1}\r\n":         `{"a":1}`,
		"\xef\xbb\xbf{\"a\":1}":    `{"a":1}`,
		")]}',\n{\"a\":1}":         `{"a":1}`,
		")]}'\n[1]":                `[1]`,
		")]}'":                     "",
		"\xef\xbb\xbf)]}', null ":  "null",
		")]} {\"a\":1}":            `)]} {"a":1}`,
		"\xef\xbb\xbf\xef\xbb\xbf": "\xef\xbb\xbf",
	} {
		if got := string(trimBody([]byte(in))); got != want {
			t.Errorf("trimBody(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"":                                 true,
		"application/json":                 true,
		"Application/JSON; charset=UTF-8":  true,
		" application/json ;charset=utf-8": true,
		"text/json":                        true,
		"application/vnd.api+json":         true,
		"application/hal+json":             true,
		"application/ld+json; profile=x":   true,
		"text/html":                        false,
		"text/plain; charset=utf-8":        false,
		"application/jsonp":                false,
		"application/x-ndjson":             false,
		"multipart/form-data":              false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}

func TestIDString(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"abc", "abc"},
		{"", ""},
		{json.Number("42"), "42"},
		{json.Number("-7"), "-7"},
		{json.Number("12345678901234567890123"), "12345678901234567890123"},
		{json.Number("1.5"), "1.5"},
		{json.Number("1e3"), "1000"},
		{json.Number("2.50"), "2.5"},
		{42.0, "42"},
		{true, ""},
		{nil, ""},
		{map[string]any{"id": "x"}, ""},
		{[]any{"x"}, ""},
	} {
		if got := idString(tc.in); got != tc.want {
			t.Errorf("idString(%#v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"a":1}`, true},
		{`[1,2]`, true},
		{`"s"`, true},
		{`{"a":1} `, true},
		{`{"a":1}}`, false},
		{`{"a":1} {"b":2}`, false},
		{`{"a":`, false},
		{`{'a':1}`, false},
		{``, false},
	} {
		if _, ok := decode([]byte(tc.in)); ok != tc.ok {
			t.Errorf("decode(%q) ok = %v, want %v", tc.in, ok, tc.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	v, ok := decode([]byte(`{"n":1,"f":-2.5,"big":1e400,"s":"1","a":[1,{"m":2},[3]],"o":{"p":{"q":4}},"b":true,"z":null}`))
	if !ok {
		t.Fatal("decode failed")
	}
	doc := v.(map[string]any)
	normalize(doc)
	want := map[string]any{
		"n": 1.0, "f": -2.5, "big": math.Inf(1), "s": "1",
		"a": []any{1.0, map[string]any{"m": 2.0}, []any{3.0}},
		"o": map[string]any{"p": map[string]any{"q": 4.0}},
		"b": true, "z": nil,
	}
	if !reflect.DeepEqual(doc, want) {
		t.Fatalf("normalize = %#v\nwant %#v", doc, want)
	}
}
