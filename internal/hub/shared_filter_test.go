package hub

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// countingFilter counts its compilations and evaluations.
type countingFilter struct {
	Filter
	matches *atomic.Int64
}

func (f countingFilter) Match(doc map[string]any) bool {
	f.matches.Add(1)
	return f.Filter.Match(doc)
}

// countingCompiler is the GROQ compiler, counting what it compiles and
// what its filters evaluate.
func countingCompiler(compiles, matches *atomic.Int64) Compiler {
	return func(query string, params map[string]any) (Filter, error) {
		f, err := CompileGROQ(query, params)
		if err != nil {
			return nil, err
		}
		compiles.Add(1)
		return countingFilter{Filter: f, matches: matches}, nil
	}
}

func TestIdenticalSubscriptionsShareOneFilterEvaluatedOncePerEvent(t *testing.T) {
	var compiles, evaluations atomic.Int64
	h := New(Config{Compile: countingCompiler(&compiles, &evaluations)})
	var clients []*Client
	for i := range 50 {
		c := connect(t, h, "d", fmt.Sprint("u", i))
		// The same params written in another key order are the same params.
		if i%2 == 0 {
			send(c, `{"type":"subscribe","query":"*[_type == \"post\" && category == $c]","params":{"c":"news","x":1}}`)
		} else {
			send(c, `{"type":"subscribe","query":"*[_type == \"post\" && category == $c]","params":{"x":1,"c":"news"}}`)
		}
		messages(t, c)
		clients = append(clients, c)
	}
	other := connect(t, h, "d", "other")
	send(other, `{"type":"subscribe","query":"*[_type == \"post\" && category == $c]","params":{"c":"sport","x":1}}`)
	messages(t, other)
	if got := compiles.Load(); got != 2 {
		t.Fatalf("%d compilations for 51 subscriptions with two distinct params, want 2", got)
	}

	evaluations.Store(0)
	h.Publish("d", Change{ID: "p1", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post", "category": "news"}})
	if got := evaluations.Load(); got != 2 {
		t.Fatalf("one event evaluated filters %d times, want 2 (once per distinct filter)", got)
	}
	for _, c := range clients {
		if got := types(messages(t, c)); fmt.Sprint(got) != "[mutation]" {
			t.Fatalf("%s got %v, want one mutation", c.ID(), got)
		}
	}
	if got := messages(t, other); len(got) != 0 {
		t.Fatalf("the sport subscriber got %v", types(got))
	}
	if st := h.Stats(); st.Subscriptions != 51 {
		t.Fatalf("Stats().Subscriptions = %d, want 51", st.Subscriptions)
	}
}

func TestSharedFilterIsFreedWithItsLastSubscription(t *testing.T) {
	var compiles, evaluations atomic.Int64
	h := New(Config{Compile: countingCompiler(&compiles, &evaluations)})
	a, b := connect(t, h, "d", "a"), connect(t, h, "d", "b")
	sub := `{"type":"subscribe","query":"*[_type == \"post\"]"}`
	send(a, sub)
	send(b, sub)
	ds := h.dataset("d")
	filters := func() int {
		ds.mu.RLock()
		defer ds.mu.RUnlock()
		return len(ds.subs.filters) + len(ds.subs.byType) + len(ds.subs.anyType)
	}
	if got := filters(); got != 2 { // one filter, indexed under one type
		t.Fatalf("index holds %d entries for two identical subscriptions, want 2", got)
	}
	send(a, `{"type":"unsubscribe","query":"*[_type == \"post\"]"}`)
	if got := filters(); got != 2 {
		t.Fatalf("index holds %d entries with one subscriber left, want 2", got)
	}
	b.Disconnect()
	if got := filters(); got != 0 {
		t.Fatalf("index holds %d entries after the last subscriber left, want 0", got)
	}
	send(a, sub)
	if got := compiles.Load(); got != 2 {
		t.Fatalf("%d compilations, want 2: the freed filter is compiled again", got)
	}
}

func TestReplacingParamsKeepsOneSubscriptionPerQuery(t *testing.T) {
	h := New(Config{})
	a, b := connect(t, h, "d", "a"), connect(t, h, "d", "b")
	send(a, `{"type":"subscribe","query":"*[_type == \"post\" && n == $n]","params":{"n":1}}`)
	send(b, `{"type":"subscribe","query":"*[_type == \"post\" && n == $n]","params":{"n":1}}`)
	send(a, `{"type":"subscribe","query":"*[_type == \"post\" && n == $n]","params":{"n":2}}`)
	messages(t, a)
	messages(t, b)
	h.Publish("d", Change{ID: "p1", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post", "n": 1.0}})
	h.Publish("d", Change{ID: "p2", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post", "n": 2.0}})
	ids := func(c *Client) string {
		var out []any
		for _, m := range messages(t, c) {
			out = append(out, m["documentId"])
		}
		return fmt.Sprint(out)
	}
	if got := ids(a); got != "[p2]" {
		t.Fatalf("a (now n == 2) got %s", got)
	}
	if got := ids(b); got != "[p1]" {
		t.Fatalf("b (n == 1) got %s", got)
	}
	if st := h.Stats(); st.Subscriptions != 2 {
		t.Fatalf("Stats().Subscriptions = %d, want 2", st.Subscriptions)
	}
}

func TestFilterKeySeparatesQueryFromParams(t *testing.T) {
	k1, _ := filterKey(`*[a == 1]{"b":2}`, nil)
	k2, _ := filterKey(`*[a == 1]`, map[string]any{"b": 2.0})
	if k1 == k2 {
		t.Fatalf("a query and another query with params share the key %q", k1)
	}
	k3, _ := filterKey(`*[a == $b]`, map[string]any{"b": 2.0, "c": []any{"x"}})
	k4, _ := filterKey(`*[a == $b]`, map[string]any{"c": []any{"x"}, "b": 2.0})
	if k3 != k4 {
		t.Fatalf("the same params give keys %q and %q", k3, k4)
	}
}

// TestUnsubscribeAfterDisconnectLeavesOthersAlone has a kicked socket's
// reading go on after its client was detached: its unsubscribe must not
// remove, a second time, a subscription the dataset no longer holds, and so
// take another client's.
func TestUnsubscribeAfterDisconnectLeavesOthersAlone(t *testing.T) {
	h := New(Config{})
	a, b := connect(t, h, "d", "a"), connect(t, h, "d", "b")
	sub := `{"type":"subscribe","query":"*[_type == \"post\"]"}`
	send(a, sub)
	send(b, sub)
	a.Disconnect()
	send(a, `{"type":"unsubscribe","query":"*[_type == \"post\"]"}`)
	messages(t, b)
	h.Publish("d", Change{ID: "p1", Type: "post", Operation: "create", Doc: map[string]any{"_type": "post"}})
	if got := types(messages(t, b)); !slices.Equal(got, []string{"mutation"}) {
		t.Errorf("b got %v after a's late unsubscribe, want [mutation]", got)
	}
	if st := h.Stats(); st.Subscriptions != 1 {
		t.Errorf("Stats().Subscriptions = %d, want 1", st.Subscriptions)
	}
}
