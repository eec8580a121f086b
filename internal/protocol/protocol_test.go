package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDecodeValidMessages(t *testing.T) {
	cases := []struct {
		in   string
		want Inbound
	}{
		{`{"type":"ping"}`, Inbound{Type: TypePing}},
		{` {"type":"presence.join","documentId":"d1"} `, Inbound{Type: TypePresenceJoin, DocumentID: "d1"}},
		{`{"type":"presence.leave","documentId":"d1","extra":true}`, Inbound{Type: TypePresenceLeave, DocumentID: "d1"}},
		{`{"type":"subscribe","query":"*[a]","dataset":"prod","params":{"n":1,"s":"x"}}`,
			Inbound{Type: TypeSubscribe, Query: "*[a]", Dataset: "prod", Params: map[string]any{"n": 1.0, "s": "x"}}},
		{`{"type":"subscribe","query":"*[a]","dataset":null,"params":null}`, Inbound{Type: TypeSubscribe, Query: "*[a]"}},
		{`{"type":"unsubscribe","query":"*[a]"}`, Inbound{Type: TypeUnsubscribe, Query: "*[a]"}},
		{`{"type":"auth","token":"t"}`, Inbound{Type: TypeAuth, Token: "t"}},
	}
	for _, tc := range cases {
		got, err := Decode([]byte(tc.in))
		if err != nil {
			t.Errorf("Decode(%s) error %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Decode(%s) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestDecodeBadInput(t *testing.T) {
	cases := []struct{ in, code string }{
		{``, CodeInvalidJSON},
		{`{`, CodeInvalidJSON},
		{`{"type":"ping"} trailing`, CodeInvalidJSON},
		{`null`, CodeInvalidMessage},
		{`42`, CodeInvalidMessage},
		{`[{"type":"ping"}]`, CodeInvalidMessage},
		{`{}`, CodeMissingField},
		{`{"type":""}`, CodeMissingField},
		{`{"type":5}`, CodeInvalidMessage},
		{`{"type":"nope"}`, CodeUnknownType},
		{`{"type":"presence.join","documentId":""}`, CodeMissingField},
		{`{"type":"presence.join","documentId":{"a":1}}`, CodeInvalidMessage},
		{`{"type":"subscribe","query":"*[a]","dataset":3}`, CodeInvalidMessage},
		{`{"type":"subscribe","query":"*[a]","params":"x"}`, CodeInvalidMessage},
		{`{"type":"unsubscribe"}`, CodeMissingField},
		{`{"type":"auth"}`, CodeMissingField},
	}
	for _, tc := range cases {
		_, err := Decode([]byte(tc.in))
		if err == nil || err.Code != tc.code {
			t.Errorf("Decode(%q) = %v, want code %s", tc.in, err, tc.code)
		}
		if err != nil && err.Message == "" {
			t.Errorf("Decode(%q): empty message", tc.in)
		}
	}
}

// TestOutboundIsValidJSON decodes every server message with encoding/json
// and compares fields, including strings that need escaping.
func TestOutboundIsValidJSON(t *testing.T) {
	nasty := "a\"b\\c\n\t\x00\x1f\u2028é\xff<>&"
	ts := time.Date(2025, 1, 15, 12, 0, 0, 7_000_000, time.FixedZone("x", 3600))
	ev := &Event{DocumentID: nasty, DocumentType: "post", Operation: "update", TS: ts, Seq: 42, Epoch: "e1"}
	cases := []struct {
		got  []byte
		want map[string]any
	}{
		{AppendWelcome(nil, "c1", nasty), map[string]any{"type": "welcome", "clientId": "c1", "userId": strings.ToValidUTF8(nasty, "\ufffd")}},
		{AppendSnapshot(nil, nil), map[string]any{"type": "presence.snapshot", "documents": []any{}}},
		{AppendSnapshot(nil, []PresenceDocument{{DocumentID: "d", Users: []User{{"u1", "A"}, {"u2", "B"}}}}),
			map[string]any{"type": "presence.snapshot", "documents": []any{map[string]any{"documentId": "d", "users": []any{
				map[string]any{"userId": "u1", "userName": "A"}, map[string]any{"userId": "u2", "userName": "B"}}}}}},
		{AppendPresence(nil, TypePresenceJoin, "d", User{"u", "Al"}), map[string]any{"type": "presence.join", "documentId": "d", "userId": "u", "userName": "Al"}},
		{AppendQueryReply(nil, TypeSubscribed, `*[_type == "post"]`), map[string]any{"type": "subscribed", "query": `*[_type == "post"]`}},
		{AppendType(nil, TypePong), map[string]any{"type": "pong"}},
		{AppendError(nil, &Error{Code: CodeBadQuery, Message: "m", Position: 3}), map[string]any{"type": "error", "code": "bad_query", "message": "m", "position": 3.0}},
		{AppendError(nil, Errorf(CodeUnknownType, "x")), map[string]any{"type": "error", "code": "unknown_type", "message": "x"}},
		{AppendMutation(nil, ev), map[string]any{"type": "mutation", "documentId": strings.ToValidUTF8(nasty, "\ufffd"), "documentType": "post",
			"operation": "update", "ts": "2025-01-15T11:00:00.007Z", "seq": 42.0, "epoch": "e1"}},
		{AppendDocumentUpdated(nil, ev), map[string]any{"type": "document.updated", "documentId": strings.ToValidUTF8(nasty, "\ufffd"),
			"operation": "update", "ts": "2025-01-15T11:00:00.007Z", "seq": 42.0, "epoch": "e1"}},
	}
	for _, tc := range cases {
		var got map[string]any
		if err := json.Unmarshal(tc.got, &got); err != nil {
			t.Errorf("invalid JSON %s: %v", tc.got, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("got %v\nwant %v", got, tc.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"ping"}`, `{"type":"presence.join","documentId":"d"}`,
		`{"type":"subscribe","query":"*[_type == \"post\"]","params":{"a":[1,{"b":null}]}}`,
		`{"type":"unsubscribe","query":"x"}`, `{"type":"auth","token":"x.y.z"}`, `[]`, `{`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := Decode(data)
		if err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("error without code or message: %+v", err)
			}
			var out map[string]any
			if jerr := json.Unmarshal(AppendError(nil, err), &out); jerr != nil {
				t.Fatalf("error reply is not JSON: %v", jerr)
			}
			return
		}
		switch msg.Type {
		case TypePing, TypePresenceJoin, TypePresenceLeave, TypeSubscribe, TypeUnsubscribe, TypeAuth:
		default:
			t.Fatalf("accepted unknown type %q", msg.Type)
		}
	})
}

// validUTF8 replaces each invalid byte of s with U+FFFD, as appendString does.
func validUTF8(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // range yields RuneError for each invalid byte
	}
	return b.String()
}

func FuzzAppendString(f *testing.F) {
	f.Add("plain")
	f.Add("q\"\\\n\x00\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Fatalf("appendString(%q) is not a JSON string: %v", s, err)
		}
		if want := validUTF8(s); got != want {
			t.Fatalf("round trip %q → %q", s, got)
		}
	})
}
