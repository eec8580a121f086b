package hub

import (
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// ResumeFrom is a client's resume point: the last seq it saw and the epoch
// of the history that seq belongs to.
type ResumeFrom struct {
	Since uint64
	Epoch string
}

// resumeState is a client's pending resume. While it lasts, each new
// subscription is first sent the history events after since that match it,
// and every event the client is sent is remembered so that none is sent
// twice. Guarded by ds.pubMu.
type resumeState struct {
	since     uint64
	until     time.Time
	delivered map[uint64]struct{}
}

func (r *resumeState) active(now time.Time) bool { return r != nil && now.Before(r.until) }

// startResume checks a resume point and, when the history can serve it,
// makes it the client's pending resume; otherwise it sends reset. The
// caller holds ds.pubMu and ds.mu.
func (c *Client) startResume(from ResumeFrom, now time.Time) bool {
	ds := c.ds
	reason := ""
	switch {
	case from.Epoch != c.hub.cfg.Epoch:
		reason = "epoch changed: the server's event history was lost"
	case from.Since > ds.seq:
		reason = "since is ahead of this dataset's history"
	default:
		if _, ok := c.hub.cfg.History.Since(ds.name, from.Since, now); !ok {
			reason = "since is older than the retained history"
		}
	}
	if reason != "" {
		c.resume = nil
		c.resuming.Store(false)
		c.send(textFrame(protocol.AppendReset(nil, reason, c.hub.cfg.Epoch, ds.seq)))
		return false
	}
	c.resume = &resumeState{since: from.Since, until: now.Add(c.hub.cfg.ResumeWindow), delivered: make(map[uint64]struct{})}
	c.resuming.Store(true)
	return true
}

// replay sends, in seq order, the history events after the resume point
// that match any of subs and were not sent yet, then a resumed message. The
// caller holds ds.pubMu and ds.mu.
func (c *Client) replay(subs []*subscription, query string, now time.Time) {
	ds := c.ds
	entries, ok := c.hub.cfg.History.Since(ds.name, c.resume.since, now)
	if !ok {
		c.resume = nil
		c.resuming.Store(false)
		c.send(textFrame(protocol.AppendReset(nil, "since is older than the retained history", c.hub.cfg.Epoch, ds.seq)))
		return
	}
	replayed := 0
	for _, e := range entries {
		if _, sent := c.resume.delivered[e.Seq]; sent {
			continue
		}
		for _, s := range subs {
			if matches(s.shared.filter, e.Change) {
				c.resume.delivered[e.Seq] = struct{}{}
				c.send(e.frame)
				replayed++
				break
			}
		}
	}
	c.send(textFrame(protocol.AppendResumed(nil, query, c.resume.since, ds.seq, replayed)))
}

// resumeMessage handles {"type":"resume","since":N,"epoch":E}: it sets the
// resume point and replays it at once for the subscriptions already held.
func (c *Client) resumeMessage(msg protocol.Inbound) {
	ds := c.ds
	ds.pubMu.Lock()
	defer ds.pubMu.Unlock()
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if c.gone {
		return
	}
	now := time.Now()
	if !c.startResume(ResumeFrom{Since: msg.Since, Epoch: msg.Epoch}, now) {
		return
	}
	c.replay(c.subs, "", now)
}

// noteDelivered records that the event seq is being sent to the client, so
// that a replay for its pending resume does not send it again, and ends a
// resume whose window has passed. The caller holds ds.pubMu.
func (c *Client) noteDelivered(seq uint64, now time.Time) {
	if c.resume == nil {
		return
	}
	if c.resume.active(now) {
		c.resume.delivered[seq] = struct{}{}
		return
	}
	c.resume = nil
	c.resuming.Store(false)
}
