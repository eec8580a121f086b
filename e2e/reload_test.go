package e2e

import (
	"net/http"
	"testing"
)

func TestReloadKeepsSocketsAndPresence(t *testing.T) {
	e := newEnv(t)
	alice, _ := e.connect("/ws", "alice", "Alice")
	alice.subscribe(allPosts, nil)
	alice.join("1")
	stag, _ := e.connect("/staging/ws", "bob", "Bob")
	stag.subscribe(allPosts, nil)

	before := alice.expectMutation(e.create("/posts", map[string]any{"title": "Before reload"}), "posts", "create")

	if status, _ := e.requestRaw(e.caddy.baseURL(), http.MethodGet, "/e2e-health", nil); status != http.StatusNotFound {
		t.Fatalf("GET /e2e-health before reload: status %d, want json-server's 404", status)
	}
	cfg := e.caddy.cfg
	cfg.Extra = "\thandle /e2e-health {\n\t\trespond \"ok\" 200\n\t}"
	e.caddy.reload(t, cfg)
	if status, body := e.requestRaw(e.caddy.baseURL(), http.MethodGet, "/e2e-health", nil); status != http.StatusOK || string(body) != "ok" {
		t.Fatalf("GET /e2e-health after reload: %d %q, want 200 \"ok\": the new config is not in force", status, body)
	}

	alice.ping()
	id := e.create("/posts", map[string]any{"title": "After reload"})
	after := alice.expectMutation(id, "posts", "create")
	if before.str("epoch") != after.str("epoch") {
		t.Errorf("epoch changed across reload: %q then %q; the event history did not survive", before.str("epoch"), after.str("epoch"))
	}
	stag.expectNothing(quiet)

	e.write(http.StatusOK, http.MethodPatch, "/staging/posts/"+id, map[string]any{"title": "Staging after reload"})
	stag.expectMutation(id, "posts", "update")

	carol, snap := e.connect("/ws", "carol", "Carol")
	wantSnapshot(t, snap, map[string][]user{"1": {{"alice", "Alice"}}})
	alice.leave("1")
	carol.expectFields(carol.expect("presence.leave", waitMessage), map[string]any{"documentId": "1", "userId": "alice"})
}
