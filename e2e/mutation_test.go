package e2e

import (
	"net/http"
	"testing"
)

const allPosts = `*[_type == "posts"]`

func TestWritesBecomeMutations(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	s.subscribe(allPosts, nil)

	id := e.create("/posts", map[string]any{"title": "Draft", "status": "draft"})
	s.expectMutation(id, "posts", "create")

	e.write(http.StatusOK, http.MethodPut, "/posts/"+id, map[string]any{"title": "Draft v2", "status": "draft"})
	s.expectMutation(id, "posts", "update")

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"status": "published"})
	s.expectMutation(id, "posts", "publish")

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"title": "Live"})
	s.expectMutation(id, "posts", "update")

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"status": "draft"})
	s.expectMutation(id, "posts", "unpublish")

	e.write(http.StatusOK, http.MethodPost, "/posts/"+id, map[string]any{"status": "published"}, "X-HTTP-Method-Override", "PATCH")
	s.expectMutation(id, "posts", "publish")

	e.write(http.StatusOK, http.MethodPost, "/posts/"+id+"?_method=PATCH", map[string]any{"status": "draft"})
	s.expectMutation(id, "posts", "unpublish")

	e.write(http.StatusOK, http.MethodDelete, "/posts/"+id, nil)
	s.expectMutation(id, "posts", "delete")

	published := e.create("/posts", map[string]any{"title": "Born published", "status": "published"})
	s.expectMutation(published, "posts", "create")

	e.write(http.StatusOK, http.MethodPost, "/posts/"+published+"?_method=DELETE", nil)
	s.expectMutation(published, "posts", "delete")
	s.expectNothing(quiet)
}

func TestFailedWritesAndReadsSendNothing(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	s.subscribe(allPosts, nil)

	e.write(http.StatusNotFound, http.MethodPut, "/posts/999", map[string]any{"title": "nope"})
	e.write(http.StatusNotFound, http.MethodPatch, "/posts/999", map[string]any{"title": "nope"})
	e.write(http.StatusNotFound, http.MethodDelete, "/posts/999", nil)
	e.write(http.StatusNotFound, http.MethodPost, "/posts/999", map[string]any{"title": "nope"}, "X-HTTP-Method-Override", "PATCH")
	e.write(http.StatusNotFound, http.MethodPost, "/posts/999?_method=DELETE", nil)
	e.write(http.StatusOK, http.MethodGet, "/posts", nil)
	e.write(http.StatusOK, http.MethodGet, "/posts/1", nil)
	e.write(http.StatusOK, http.MethodGet, "/posts?status=published", nil)
	s.expectNothing(quiet)
}

func TestPublishNeedsKnownPreviousState(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	s.subscribe(allPosts, nil)

	// Post 1 is a draft the sidecar has never seen: its previous state is
	// unknown, so publishing it is reported as an update.
	e.write(http.StatusOK, http.MethodPatch, "/posts/1", map[string]any{"status": "published"})
	s.expectMutation("1", "posts", "update")

	// Post 2 is published; a single-document read makes it known.
	e.write(http.StatusOK, http.MethodGet, "/posts/2", nil)
	s.expectNothing(quiet)
	e.write(http.StatusOK, http.MethodPatch, "/posts/2", map[string]any{"status": "draft"})
	s.expectMutation("2", "posts", "unpublish")
}

func TestDocumentUpdatedGoesToPresentSockets(t *testing.T) {
	e := newEnv(t)
	writer, _ := e.connect("/ws", "alice", "Alice")
	id := e.create("/posts", map[string]any{"title": "Shared", "status": "draft"})

	editor, _ := e.connect("/ws", "bob", "Bob")
	editor.join(id)
	writer.expect("presence.join", waitMessage)
	outsider, _ := e.connect("/ws", "carol", "Carol")
	outsider.join("1") // present, but on another document
	writer.expect("presence.join", waitMessage)
	editor.expect("presence.join", waitMessage)

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"title": "Shared v2"})
	editor.expectDocumentUpdated(id, "update")
	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"status": "published"})
	editor.expectDocumentUpdated(id, "publish")
	e.write(http.StatusOK, http.MethodDelete, "/posts/"+id, nil)
	editor.expectDocumentUpdated(id, "delete")

	editor.expectNothing(quiet)
	outsider.expectNothing(0)
	writer.expectNothing(0)
}

func TestPresentSubscriberGetsBothEvents(t *testing.T) {
	e := newEnv(t)
	s, _ := e.connect("/ws", "alice", "Alice")
	s.subscribe(allPosts, nil)
	s.join("2")

	e.write(http.StatusOK, http.MethodPatch, "/posts/2", map[string]any{"title": "Both"})
	got := map[string]message{}
	for range 2 {
		m := s.next("mutation and document.updated", waitMessage)
		got[m.typ()] = m
	}
	mutation, ok := got["mutation"]
	if !ok {
		t.Fatalf("no mutation among %v", got)
	}
	s.expectFields(mutation, map[string]any{"documentId": "2", "documentType": "posts", "operation": "update"})
	updated, ok := got["document.updated"]
	if !ok {
		t.Fatalf("no document.updated among %v", got)
	}
	s.expectFields(updated, map[string]any{"documentId": "2", "operation": "update"})
	s.expectNothing(quiet)
}
