package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// closeSlowConsumer is the README's close code for a socket whose outbound
// queue overflowed.
const closeSlowConsumer ws.StatusCode = 4008

// TestSlowConsumerIsClosedAndNobodyWaits holds 1,000 subscribed sockets and
// one that stops reading while events flow. The 1,000 are subscribed to
// posts, written through json-server. The slow socket is also subscribed to
// bulk documents, whose events carry a 60 KB id: they come from a route
// where cms_realtime fronts a fixed response instead of json-server, so
// that a few dozen fast writes fill the slow socket's default queue (1 MiB)
// and the loopback buffers behind it. The 1,000 must get every post event,
// each within waitMessage of its write (a fan-out that waited on the slow
// socket's 10 s write timeout would miss that), and be told the slow user
// left; the slow socket must be closed with 4008, or cut.
func TestSlowConsumerIsClosedAndNobodyWaits(t *testing.T) {
	e := newBulkEnv(t)
	const readers = 1000
	tokens := make([]string, 10) // 100 sockets per user, below max_sockets_per_user
	for i := range tokens {
		tokens[i] = e.token("reader-"+strconv.Itoa(i), "Reader "+strconv.Itoa(i))
	}
	rs := make([]*wsClient, readers)
	for i := range rs {
		rs[i] = e.dial("reader "+strconv.Itoa(i), "/ws", tokens[i%len(tokens)])
		rs[i].send(map[string]any{"type": "subscribe", "query": allPosts})
	}
	for _, r := range rs {
		r.expect("welcome", waitMessage)
		r.expect("presence.snapshot", waitMessage)
		r.expectFields(r.expect("subscribed", waitMessage), map[string]any{"query": allPosts})
	}

	slow := dialSlowReader(t, e.wsURL("/ws", url.Values{"token": {e.token("slow", "Slow")}}))
	slow.await(t, "presence.snapshot")
	for _, q := range []string{allPosts, `*[_type == "bulk"]`} {
		slow.send(t, map[string]any{"type": "subscribe", "query": q})
		slow.await(t, "subscribed")
	}
	slow.send(t, map[string]any{"type": "presence.join", "documentId": "slow-doc"})
	for _, r := range rs {
		r.expectFields(r.expect("presence.join", waitMessage), map[string]any{"documentId": "slow-doc", "userId": "slow"})
	}
	// From here on the slow socket is never read until the end.

	probes := []*wsClient{rs[0], rs[readers-1]}
	var seqs []float64 // seq of each post event, in order
	var maxLatency time.Duration
	left := map[*wsClient]bool{} // the probes that saw the slow user leave
	postEvent := func(i int) {
		e.write(http.StatusOK, http.MethodPatch, "/posts/1", map[string]any{"title": "Flow " + strconv.Itoa(i)})
		written := time.Now()
		var seq float64
		for _, p := range probes {
			m, sawLeave := nextPostEvent(p, waitMessage)
			left[p] = left[p] || sawLeave
			s, _ := m.fields["seq"].(float64)
			if p == probes[0] {
				seq = s
			} else if s != seq {
				t.Fatalf("%s: post event seq %v, %s got %v", p.name, s, probes[0].name, seq)
			}
		}
		seqs = append(seqs, seq)
		maxLatency = max(maxLatency, time.Since(written))
	}

	// 100 bulk events are 6 MB: more than the loopback buffers (3 MB here)
	// and the queue hold.
	const bulkWrites = 100
	start := time.Now()
	writes := 0
	for ; writes < bulkWrites && !left[probes[0]]; writes++ {
		e.write(http.StatusCreated, http.MethodPost, "/bulk/docs", map[string]any{"n": writes})
		if writes%5 == 0 {
			postEvent(writes)
		}
	}
	// The server notices a socket that does not read when its queue
	// overflows, but may close it only when its blocked write times out
	// (10 s, or twice that when it tries once more before closing).
	if !left[probes[0]] {
		m := probes[0].next("the slow user's presence.leave", 45*time.Second)
		probes[0].expectFields(m, map[string]any{"type": "presence.leave", "documentId": "slow-doc", "userId": "slow"})
		left[probes[0]] = true
	}
	t.Logf("slow user left %v after the bulk events began; slowest post event %v to the probes", time.Since(start).Round(time.Millisecond), maxLatency)
	postEvent(writes) // events still flow to everyone after the close

	// Every reader got every post event once, in order, and the leave.
	for _, r := range rs {
		var got []float64
		if slices.Contains(probes, r) {
			got = seqs // the probes' events were checked as they came
			if !left[r] {
				r.expectFields(r.expect("presence.leave", waitMessage), map[string]any{"documentId": "slow-doc", "userId": "slow"})
			}
		} else {
			got = collectPostEvents(r, len(seqs))
		}
		if !slices.Equal(got, seqs) {
			t.Fatalf("%s: post event seqs %v, want %v", r.name, got, seqs)
		}
	}
	slow.expectClosedBy(t, closeSlowConsumer, 15*time.Second)
}

// newBulkEnv is newEnv with a /bulk/ route: each POST to it is answered
// 201 by Caddy itself with a document of type bulk whose id is 60 KB long,
// and cms_realtime publishes it to the production dataset like any write.
func newBulkEnv(t *testing.T) *env {
	t.Helper()
	cms := startJSONServer(t, seedDB)
	doc, err := json.Marshal(map[string]string{"id": "bulk-" + strings.Repeat("x", 60_000), "_type": "bulk"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := siteConfig{
		Secret:   newSecret(t),
		Upstream: strings.TrimPrefix(cms, "http://"),
	}
	// route keeps the order as written: respond would otherwise run
	// before cms_realtime.
	cfg.Extra = "\thandle /bulk/* {\n\t\troute {\n\t\t\tcms_realtime {\n\t\t\t\tjwt_secret " + cfg.Secret +
		"\n\t\t\t\tdataset production\n\t\t\t}\n\t\t\theader Content-Type application/json\n\t\t\trespond `" + string(doc) + "` 201\n\t\t}\n\t}"
	return &env{t: t, caddy: startCaddy(t, cfg)}
}

// nextPostEvent returns the next mutation on c within timeout, and reports
// whether the slow user's presence.leave came before it.
func nextPostEvent(c *wsClient, timeout time.Duration) (message, bool) {
	c.t.Helper()
	left := false
	deadline := time.Now().Add(timeout)
	for {
		m := c.next("a post event", time.Until(deadline))
		switch {
		case m.typ() == "mutation":
			c.expectFields(m, map[string]any{"documentId": "1", "documentType": "posts"})
			c.expectEvent(m)
			return m, left
		case m.typ() == "presence.leave" && m.str("userId") == "slow":
			c.expectFields(m, map[string]any{"documentId": "slow-doc"})
			left = true
		default:
			c.t.Fatalf("%s: unexpected %s", c.name, m)
		}
	}
}

// collectPostEvents reads n post events and the slow user's leave from c,
// and returns the events' seqs.
func collectPostEvents(c *wsClient, n int) []float64 {
	c.t.Helper()
	var seqs []float64
	left := false
	for len(seqs) < n {
		m, sawLeave := nextPostEvent(c, waitMessage)
		left = left || sawLeave
		s, _ := m.fields["seq"].(float64)
		seqs = append(seqs, s)
	}
	if !left {
		m := c.expect("presence.leave", waitMessage)
		c.expectFields(m, map[string]any{"documentId": "slow-doc", "userId": "slow"})
	}
	c.expectNothing(0)
	return seqs
}
