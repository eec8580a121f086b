package e2e

import (
	"net/http"
	"net/url"
	"testing"
)

func TestDatasetsAreIsolated(t *testing.T) {
	e := newEnv(t)
	prodSub, _ := e.connect("/ws", "alice", "Alice")
	prodSub.subscribe(allPosts, nil)
	stagSub, _ := e.connect("/staging/ws", "bob", "Bob")
	stagSub.subscribe(allPosts, nil)
	stagParam := dialWS(t, "carol@/ws?dataset=staging", e.wsURL("/ws", url.Values{"token": {e.token("carol", "Carol")}, "dataset": {"staging"}}))
	stagParam.expect("welcome", waitMessage)
	stagParam.expect("presence.snapshot", waitMessage)
	stagParam.subscribe(allPosts, nil)

	prodEd, _ := e.connect("/ws", "dave", "Dave")
	prodEd.join("1")
	prodSub.expectFields(prodSub.expect("presence.join", waitMessage), map[string]any{"documentId": "1", "userId": "dave"})

	stagEd, snap := e.connect("/staging/ws", "erin", "Erin")
	wantSnapshot(t, snap, map[string][]user{})
	stagEd.join("1")
	for _, c := range []*wsClient{stagSub, stagParam} {
		c.expectFields(c.expect("presence.join", waitMessage), map[string]any{"documentId": "1", "userId": "erin"})
	}
	_, snap = e.connect("/ws", "frank", "Frank")
	wantSnapshot(t, snap, map[string][]user{"1": {{"dave", "Dave"}}})

	production := []*wsClient{prodSub, prodEd}
	staging := []*wsClient{stagSub, stagParam, stagEd}
	quietAll := func(cs []*wsClient) {
		t.Helper()
		for _, c := range cs {
			c.expectNothing(quiet)
		}
	}
	quietAll(production)

	e.write(http.StatusOK, http.MethodPatch, "/posts/1", map[string]any{"title": "Production edit"})
	prodSub.expectMutation("1", "posts", "update")
	prodEd.expectDocumentUpdated("1", "update")
	quietAll(staging)

	e.write(http.StatusOK, http.MethodPatch, "/staging/posts/1", map[string]any{"title": "Staging edit"})
	stagSub.expectMutation("1", "posts", "update")
	stagParam.expectMutation("1", "posts", "update")
	stagEd.expectDocumentUpdated("1", "update")
	quietAll(production)

	id := e.create("/staging/posts", map[string]any{"title": "Staging only"})
	stagSub.expectMutation(id, "posts", "create")
	stagParam.expectMutation(id, "posts", "create")
	quietAll(production)
	quietAll(staging)
}
