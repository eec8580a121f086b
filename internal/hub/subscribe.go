package hub

import (
	"errors"
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
	if c.resuming.Load() {
		// No event may be published between registering and replaying.
		ds.pubMu.Lock()
		defer ds.pubMu.Unlock()
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if c.gone {
		return
	}
	old, replacing := c.subs[msg.Query]
	if !replacing && len(c.subs) >= c.limits.MaxSubscriptions {
		c.replyError(protocol.Errorf(protocol.CodeLimit, "at most %d subscriptions per socket", c.limits.MaxSubscriptions))
		return
	}
	// Subscribe before unsubscribing the old one, so that a filter both
	// share is kept, not freed and compiled again.
	s := ds.subs.newSubscription(c, key, msg.Query, filter)
	if replacing {
		ds.subs.remove(old)
	}
	if c.subs == nil {
		c.subs = make(map[string]*subscription)
	}
	c.subs[s.shared.query] = s
	c.reply(func(b []byte) []byte { return protocol.AppendQueryReply(b, protocol.TypeSubscribed, msg.Query) })
	if c.resuming.Load() {
		if now := time.Now(); c.resume.active(now) {
			c.replay([]*subscription{s}, msg.Query, now)
		}
	}
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

// unsubscribe ends the subscription with the query text. An event collected
// for the client just before may still follow the unsubscribed reply.
func (c *Client) unsubscribe(query string) {
	ds := c.ds
	ds.mu.Lock()
	defer ds.mu.Unlock()
	s, ok := c.subs[query]
	if !ok {
		c.replyError(protocol.Errorf(protocol.CodeNotSubscribed, "no subscription with this query on this socket"))
		return
	}
	delete(c.subs, query)
	ds.subs.remove(s)
	c.reply(func(b []byte) []byte { return protocol.AppendQueryReply(b, protocol.TypeUnsubscribed, query) })
}
