package hub

import (
	"slices"
	"strings"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// docPresence is who is present on one document: each user once, with the
// number of their sockets there, and every socket (for document.updated).
type docPresence struct {
	users   map[string]*presentUser
	clients map[*Client]struct{}
}

type presentUser struct {
	name    string
	sockets int
}

// join marks the client present on documentID. A user's first socket on a
// document is announced to every other socket of the dataset; further
// sockets of the same user, and repeated joins, are not. The announcement
// is queued (see announcer), not sent, before join returns.
func (c *Client) join(documentID string) {
	if refused := c.markPresent(documentID); refused != nil {
		c.replyError(refused)
	}
}

// markPresent makes the join under ds.mu and queues its announcement, if
// any; it returns the refusal to reply with once ds.mu is released.
func (c *Client) markPresent(documentID string) *protocol.Error {
	ds := c.ds
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if c.gone {
		return nil
	}
	if _, ok := c.present[documentID]; ok {
		return nil
	}
	if len(c.present) >= c.limits.MaxPresence {
		return protocol.Errorf(protocol.CodeLimit, "at most %d documents per socket", c.limits.MaxPresence)
	}
	if c.present == nil {
		c.present = make(map[string]struct{})
	}
	c.present[documentID] = struct{}{}
	dp, ok := ds.presence[documentID]
	if !ok {
		dp = &docPresence{users: make(map[string]*presentUser), clients: make(map[*Client]struct{})}
		ds.presence[documentID] = dp
	}
	dp.clients[c] = struct{}{}
	pu, ok := dp.users[c.user.UserID]
	if !ok {
		pu = &presentUser{name: c.user.UserName}
		dp.users[c.user.UserID] = pu
	}
	pu.sockets++
	if pu.sockets == 1 {
		ds.announce(textFrame(protocol.AppendPresence(nil, protocol.TypePresenceJoin, documentID, c.user)), c)
	}
	return nil
}

// leave ends the client's presence on documentID; leaving a document it is
// not present on does nothing. The announcement is queued, as join's.
func (c *Client) leave(documentID string) {
	ds := c.ds
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if _, ok := c.present[documentID]; ok && !c.gone {
		ds.removePresence(c, documentID)
	}
}

// removePresence removes c from documentID and, when it was the user's last
// socket there, queues their leave announcement. The caller holds ds.mu.
func (ds *dataset) removePresence(c *Client, documentID string) {
	delete(c.present, documentID)
	dp := ds.presence[documentID]
	if dp == nil {
		return
	}
	delete(dp.clients, c)
	pu := dp.users[c.user.UserID]
	if pu == nil {
		return
	}
	pu.sockets--
	if pu.sockets > 0 {
		return
	}
	delete(dp.users, c.user.UserID)
	if len(dp.users) == 0 {
		delete(ds.presence, documentID)
	}
	ds.announce(textFrame(protocol.AppendPresence(nil, protocol.TypePresenceLeave, documentID, protocol.User{UserID: c.user.UserID, UserName: pu.name})), c)
}

// snapshot lists every document with someone present, each user once,
// sorted by document and user id. The caller holds ds.mu.
func (ds *dataset) snapshot() []protocol.PresenceDocument {
	docs := make([]protocol.PresenceDocument, 0, len(ds.presence))
	for id, dp := range ds.presence {
		users := make([]protocol.User, 0, len(dp.users))
		for uid, pu := range dp.users {
			users = append(users, protocol.User{UserID: uid, UserName: pu.name})
		}
		slices.SortFunc(users, func(a, b protocol.User) int { return strings.Compare(a.UserID, b.UserID) })
		docs = append(docs, protocol.PresenceDocument{DocumentID: id, Users: users})
	}
	slices.SortFunc(docs, func(a, b protocol.PresenceDocument) int { return strings.Compare(a.DocumentID, b.DocumentID) })
	return docs
}
