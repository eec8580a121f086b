package hub

import (
	"errors"
	"slices"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// subscribe registers the query under its text, replacing the params of an
// existing subscription with the same text. The filter is compiled only
// when no subscription of the dataset holds one for the same text and
// params already.
func (c *Client) subscribe(msg protocol.Inbound) {
	ds := c.ds
	if msg.Dataset != "" && msg.Dataset != ds.name {
		c.replyError(protocol.Errorf(protocol.CodeDatasetMismatch,
			"this socket is scoped to dataset %q; open another socket for %q", ds.name, msg.Dataset))
		return
	}
	key, err := filterKey(msg.Query, msg.Params)
	if err != nil {
		c.replyError(protocol.Errorf(protocol.CodeBadQuery, "params: %v", err))
		return
	}
	filter := ds.compiled(key)
	if filter == nil {
		if filter, err = c.hub.cfg.Compile(msg.Query, msg.Params); err != nil {
			var perr *protocol.Error
			if !errors.As(err, &perr) {
				perr = &protocol.Error{Code: protocol.CodeBadQuery, Message: err.Error(), Position: -1}
			}
			c.replyError(perr)
			return
		}
	}
	if perr := c.addSubscription(key, msg.Query, filter); perr != nil {
		c.replyError(perr)
	}
}

// addSubscription registers the subscription and replies subscribed, both
// under ds.mu: the reply must follow the registration (a client may write
// as soon as it reads it, and expects the event) and precede the
// subscription's first event, which a Publish may send as soon as ds.mu is
// released. It is one non-blocking send to one socket. A refusal is
// returned for the caller to send once the locks are released.
func (c *Client) addSubscription(key, query string, filter Filter) *protocol.Error {
	ds := c.ds
	if c.resuming.Load() {
		// No event may be published between registering and replaying.
		ds.pubMu.Lock()
		defer ds.pubMu.Unlock()
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if c.gone {
		return nil
	}
	i := c.findSubscription(query)
	if i < 0 && len(c.subs) >= c.limits.MaxSubscriptions {
		return protocol.Errorf(protocol.CodeLimit, "at most %d subscriptions per socket", c.limits.MaxSubscriptions)
	}
	// Subscribe before unsubscribing the old one, so that a filter both
	// share is kept, not freed and compiled again.
	s := ds.subs.newSubscription(c, key, query, filter)
	if i < 0 {
		c.subs = append(c.subs, s)
	} else {
		ds.subs.remove(c.subs[i])
		c.subs[i] = s
	}
	c.reply(func(b []byte) []byte { return protocol.AppendQueryReply(b, protocol.TypeSubscribed, query) })
	if c.resuming.Load() {
		if now := time.Now(); c.resume.active(now) {
			c.replay([]*subscription{s}, query, now)
		}
	}
	return nil
}

// compiled returns the filter the dataset already holds for key, or nil.
func (ds *dataset) compiled(key string) Filter {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	if sf := ds.subs.lookup(key); sf != nil {
		return sf.filter
	}
	return nil
}

// unsubscribe ends the subscription with the query text and replies once
// ds.mu is released. An event collected for the client just before may
// still follow the unsubscribed reply.
func (c *Client) unsubscribe(query string) {
	if !c.removeSubscription(query) {
		c.replyError(protocol.Errorf(protocol.CodeNotSubscribed, "no subscription with this query on this socket"))
		return
	}
	c.reply(func(b []byte) []byte { return protocol.AppendQueryReply(b, protocol.TypeUnsubscribed, query) })
}

// removeSubscription ends the subscription with the query text under
// ds.mu and reports whether there was one.
func (c *Client) removeSubscription(query string) bool {
	ds := c.ds
	ds.mu.Lock()
	defer ds.mu.Unlock()
	i := c.findSubscription(query)
	if i < 0 {
		return false
	}
	ds.subs.remove(c.subs[i])
	c.subs = slices.Delete(c.subs, i, i+1)
	return true
}

// findSubscription returns the index in c.subs of the subscription with the
// query text, or -1. The caller holds ds.mu.
func (c *Client) findSubscription(query string) int {
	return slices.IndexFunc(c.subs, func(s *subscription) bool { return s.shared.query == query })
}
