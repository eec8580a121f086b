package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestConnectSendsWelcomeThenSnapshot(t *testing.T) {
	e := newEnv(t)
	alice, snap := e.connect("/ws", "alice", "Alice")
	alice.expectFields(snap, map[string]any{"documents": []any{}})
	alice.expectNothing(quiet)

	bob, _ := e.connect("/ws", "bob", "Bob")
	alice.join("1")
	bob.expect("presence.join", waitMessage)

	alice2, snap := e.connect("/ws", "alice", "Alice")
	wantSnapshot(t, snap, map[string][]user{"1": {{"alice", "Alice"}}})
	alice2.join("1") // a second tab: not announced, and not listed twice
	bob.join("1")
	bob.join("2")
	for _, c := range []*wsClient{alice, alice2} {
		c.expectFields(c.expect("presence.join", waitMessage), map[string]any{"documentId": "1", "userId": "bob"})
		c.expectFields(c.expect("presence.join", waitMessage), map[string]any{"documentId": "2", "userId": "bob"})
	}
	bob.expectNothing(quiet)

	_, snap = e.connect("/ws", "carol", "Carol")
	wantSnapshot(t, snap, map[string][]user{
		"1": {{"alice", "Alice"}, {"bob", "Bob"}},
		"2": {{"bob", "Bob"}},
	})

	ids := map[string]bool{alice.clientID: true, alice2.clientID: true, bob.clientID: true}
	if len(ids) != 3 {
		t.Errorf("clientIds of three sockets are not distinct: %q %q %q", alice.clientID, alice2.clientID, bob.clientID)
	}
}

func TestPresenceJoinAndLeave(t *testing.T) {
	e := newEnv(t)
	alice, _ := e.connect("/ws", "alice", "Alice")
	bob, _ := e.connect("/ws", "bob", "Bob")

	alice.join("1")
	bob.expectFields(bob.expect("presence.join", waitMessage), map[string]any{"documentId": "1", "userId": "alice", "userName": "Alice"})
	alice.expectNothing(quiet) // own join is not echoed

	alice.join("1") // joining again changes nothing
	bob.expectNothing(quiet)

	alice2, _ := e.connect("/ws", "alice", "Alice")
	alice2.join("1") // second tab of a present user
	bob.expectNothing(quiet)
	alice.expectNothing(0)

	alice.leave("1") // alice2 is still there
	bob.expectNothing(quiet)

	alice2.close()
	bob.expectFields(bob.expect("presence.leave", waitMessage), map[string]any{"documentId": "1", "userId": "alice", "userName": "Alice"})
	bob.expectNothing(quiet) // announced once
	// alice's first socket is another socket than the one that left: it is
	// told, like everyone else.
	alice.expectFields(alice.expect("presence.leave", waitMessage), map[string]any{"documentId": "1", "userId": "alice", "userName": "Alice"})

	bob.join("7")
	alice.expectFields(alice.expect("presence.join", waitMessage), map[string]any{"documentId": "7", "userId": "bob", "userName": "Bob"})
	bob.leave("7")
	alice.expectFields(alice.expect("presence.leave", waitMessage), map[string]any{"documentId": "7", "userId": "bob", "userName": "Bob"})
	bob.expectNothing(quiet)
}

func TestPresenceLeaveOnDisconnect(t *testing.T) {
	e := newEnv(t)
	watcher, _ := e.connect("/ws", "carol", "Carol")
	alice, _ := e.connect("/ws", "alice", "Alice")
	alice.join("1")
	alice.join("2")
	for range 2 {
		watcher.expect("presence.join", waitMessage)
	}

	alice.drop() // no close frame: the network went away
	left := map[string]bool{}
	for range 2 {
		m := watcher.expect("presence.leave", waitMessage)
		watcher.expectFields(m, map[string]any{"userId": "alice", "userName": "Alice"})
		left[m.str("documentId")] = true
	}
	if !left["1"] || !left["2"] {
		t.Errorf("leaves after disconnect cover %v, want documents 1 and 2", left)
	}
	watcher.expectNothing(quiet)

	_, snap := e.connect("/ws", "bob", "Bob")
	wantSnapshot(t, snap, map[string][]user{})
}

func TestUserNameFromClaims(t *testing.T) {
	e := newEnv(t)
	watcher, _ := e.connect("/ws", "carol", "Carol")
	cases := []struct {
		claims   jwt.MapClaims
		userName string
	}{
		{jwt.MapClaims{"sub": "u1", "preferred_username": "dora", "email": "dora@example.com"}, "dora"},
		{jwt.MapClaims{"sub": "u2", "email": "erin@example.com"}, "erin@example.com"},
		{jwt.MapClaims{"sub": "u3"}, "u3"},
		{jwt.MapClaims{"sub": "u4", "name": "Frank", "preferred_username": "frank"}, "Frank"},
	}
	for _, tc := range cases {
		tc.claims["exp"] = time.Now().Add(time.Hour).Unix()
		c := e.dial(tc.userName, "/ws", e.signed(tc.claims))
		c.expectFields(c.expect("welcome", waitMessage), map[string]any{"userId": tc.claims["sub"]})
		c.expect("presence.snapshot", waitMessage)
		c.join("doc")
		watcher.expectFields(watcher.expect("presence.join", waitMessage), map[string]any{
			"documentId": "doc", "userId": tc.claims["sub"], "userName": tc.userName,
		})
	}
}

// user is one entry of a presence list.
type user struct{ id, name string }

// wantSnapshot fails the test unless snapshot lists exactly want: each
// document once, each user once per document, in any order.
func wantSnapshot(t *testing.T, snapshot message, want map[string][]user) {
	t.Helper()
	docs, ok := snapshot.fields["documents"].([]any)
	if !ok {
		t.Fatalf("snapshot without a documents array: %s", snapshot)
	}
	got := map[string][]user{}
	for _, d := range docs {
		doc, _ := d.(map[string]any)
		id, _ := doc["documentId"].(string)
		if _, dup := got[id]; dup {
			t.Errorf("snapshot lists document %q twice: %s", id, snapshot)
		}
		users, _ := doc["users"].([]any)
		got[id] = []user{}
		for _, u := range users {
			um, _ := u.(map[string]any)
			uid, _ := um["userId"].(string)
			name, _ := um["userName"].(string)
			got[id] = append(got[id], user{uid, name})
		}
		slices.SortFunc(got[id], func(a, b user) int { return strings.Compare(a.id, b.id) })
	}
	if len(got) != len(want) {
		t.Errorf("snapshot %s: got documents %v, want %v", snapshot, got, want)
		return
	}
	for id, users := range want {
		if g := got[id]; !slices.Equal(g, users) {
			t.Errorf("snapshot %s: document %q has users %v, want %v", snapshot, id, g, users)
		}
	}
}
