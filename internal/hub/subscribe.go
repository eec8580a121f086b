package hub

import (
	"errors"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// subscribe compiles the query and registers it under its text, replacing
// the params of an existing subscription with the same text.
func (c *Client) subscribe(msg protocol.Inbound) {
	if msg.Dataset != "" && msg.Dataset != c.ds.name {
		c.replyError(protocol.Errorf(protocol.CodeDatasetMismatch,
			"this socket is scoped to dataset %q; open another socket for %q", c.ds.name, msg.Dataset))
		return
	}
	filter, err := c.hub.cfg.Compile(msg.Query, msg.Params)
	if err != nil {
		var perr *protocol.Error
		if !errors.As(err, &perr) {
			perr = &protocol.Error{Code: protocol.CodeBadQuery, Message: err.Error(), Position: -1}
		}
		c.replyError(perr)
		return
	}
	s := &subscription{client: c, query: msg.Query, filter: filter, types: filter.Types()}
	ds := c.ds
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
	if replacing {
		ds.subs.remove(old)
	}
	if c.subs == nil {
		c.subs = make(map[string]*subscription)
	}
	c.subs[msg.Query] = s
	ds.subs.add(s)
	c.reply(func(b []byte) []byte { return protocol.AppendQueryReply(b, protocol.TypeSubscribed, msg.Query) })
	if c.resuming.Load() {
		if now := time.Now(); c.resume.active(now) {
			c.replay([]*subscription{s}, msg.Query, now)
		}
	}
}

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
