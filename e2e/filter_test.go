package e2e

import (
	"net/http"
	"testing"
)

func TestFilterSelectsDocuments(t *testing.T) {
	e := newEnv(t)
	const publishedPosts = `*[_type == "posts" && status == "published"]`
	pub, _ := e.connect("/ws", "alice", "Alice")
	pub.subscribe(publishedPosts, nil)
	comments, _ := e.connect("/ws", "bob", "Bob")
	comments.subscribe(`*[_type == "comments"] | order(_id) {_id, body}`, nil) // ordering and projection are ignored
	both, _ := e.connect("/ws", "carol", "Carol")
	both.subscribe(allPosts, nil)
	both.subscribe(publishedPosts, nil)

	id := e.create("/posts", map[string]any{"title": "Draft", "status": "draft"})
	both.expectMutation(id, "posts", "create")
	pub.expectNothing(quiet)

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"status": "published"})
	pub.expectMutation(id, "posts", "publish")
	both.expectMutation(id, "posts", "publish")

	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"title": "Edited"})
	pub.expectMutation(id, "posts", "update")
	both.expectMutation(id, "posts", "update")

	// The post stops matching: the subscription that matched it gets this
	// change once, and nothing after it.
	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"status": "draft"})
	pub.expectMutation(id, "posts", "unpublish")
	both.expectMutation(id, "posts", "unpublish")
	e.write(http.StatusOK, http.MethodPatch, "/posts/"+id, map[string]any{"title": "Edited again"})
	both.expectMutation(id, "posts", "update")
	pub.expectNothing(quiet)

	comment := e.create("/comments", map[string]any{"postId": 1, "body": "Nice"})
	comments.expectMutation(comment, "comments", "create")

	// A delete is matched against the document's last known state.
	live := e.create("/posts", map[string]any{"title": "Live", "status": "published"})
	pub.expectMutation(live, "posts", "create")
	both.expectMutation(live, "posts", "create")
	e.write(http.StatusOK, http.MethodDelete, "/posts/"+live, nil)
	pub.expectMutation(live, "posts", "delete")
	both.expectMutation(live, "posts", "delete")
	e.write(http.StatusOK, http.MethodDelete, "/posts/"+id, nil)
	both.expectMutation(id, "posts", "delete")

	for _, c := range []*wsClient{pub, comments, both} {
		c.expectNothing(quiet)
	}
}
