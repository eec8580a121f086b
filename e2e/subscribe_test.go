package e2e

import (
	"net/http"
	"testing"
)

func TestSubscribeAndUnsubscribe(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")

	s.subscribe(allPosts, nil)
	s.send(map[string]any{"type": "subscribe", "query": allPosts, "dataset": "production"})
	s.expectFields(s.expect("subscribed", waitMessage), map[string]any{"query": allPosts})

	s.send(map[string]any{"type": "subscribe", "query": `*[_type == "comments"]`, "dataset": "staging"})
	s.expectFields(s.expect("error", waitMessage), map[string]any{"code": "dataset_mismatch"})

	s.send(map[string]any{"type": "unsubscribe", "query": allPosts})
	s.expectFields(s.expect("unsubscribed", waitMessage), map[string]any{"query": allPosts})
	e.create("/posts", map[string]any{"title": "Unseen"})
	s.expectNothing(quiet)

	s.send(map[string]any{"type": "unsubscribe", "query": allPosts})
	s.expectFields(s.expect("error", waitMessage), map[string]any{"code": "not_subscribed"})
	s.send(map[string]any{"type": "unsubscribe", "query": `*[_type == "never"]`})
	s.expectFields(s.expect("error", waitMessage), map[string]any{"code": "not_subscribed"})
	s.ping()
}

func TestSubscribeWithParams(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	byAuthor := `*[_type == "posts" && author == $author]`
	s.subscribe(byAuthor, map[string]any{"author": "alice"})

	e.create("/posts", map[string]any{"title": "Bob's", "author": "bob"})
	s.expectNothing(quiet)
	mine := e.create("/posts", map[string]any{"title": "Alice's", "author": "alice"})
	s.expectMutation(mine, "posts", "create")

	// The same query text again replaces the params.
	s.subscribe(byAuthor, map[string]any{"author": "bob"})
	e.create("/posts", map[string]any{"title": "Alice's again", "author": "alice"})
	s.expectNothing(quiet)
	bobs := e.create("/posts", map[string]any{"title": "Bob's again", "author": "bob"})
	s.expectMutation(bobs, "posts", "create")

	// Every document's _id is the inferred id, whatever the CMS calls it.
	one := `*[_id == $id]`
	s.subscribe(one, map[string]any{"id": "1"})
	e.write(http.StatusOK, http.MethodPatch, "/posts/2", map[string]any{"title": "Not 1", "author": "carol"})
	s.expectNothing(quiet)
	e.write(http.StatusOK, http.MethodPatch, "/posts/1", map[string]any{"title": "One", "author": "carol"})
	s.expectMutation("1", "posts", "update")
}
