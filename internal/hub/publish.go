package hub

import (
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// Change is one document change to fan out.
type Change struct {
	ID        string
	Type      string
	Operation string // create, update, delete, publish or unpublish
	// Doc is the document as the change left it (for a delete: its last
	// known state); filters are evaluated on it.
	Doc map[string]any
	// Prev is the document's last known state before the change, or nil.
	// A subscription that matched Prev still gets the event (the document
	// disappeared from its results).
	Prev map[string]any
	// TS is when the change was seen (zero: now).
	TS time.Time
}

// Publish assigns the change the dataset's next seq and enqueues one
// mutation event to every client with a subscription whose filter matches
// (one per client, however many of its subscriptions match) and one
// document.updated to every client present on the document. Each event is
// encoded once and its frame shared by all recipients. It returns the seq.
func (h *Hub) Publish(datasetName string, ch Change) uint64 {
	if ch.TS.IsZero() {
		ch.TS = time.Now()
	}
	ds := h.dataset(datasetName)
	ds.pubMu.Lock()
	defer ds.pubMu.Unlock()
	ds.seq++
	ev := protocol.Event{
		DocumentID:   ch.ID,
		DocumentType: ch.Type,
		Operation:    ch.Operation,
		TS:           ch.TS,
		Seq:          ds.seq,
		Epoch:        h.cfg.Epoch,
	}
	prevType, _ := ch.Prev["_type"].(string)
	mutation := textFrame(protocol.AppendMutation(nil, &ev))
	h.cfg.History.Append(ds.name, HistoryEntry{Seq: ev.Seq, Change: ch, frame: mutation})

	now := time.Now()
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	deliver := func(set map[*subscription]struct{}) {
		for s := range set {
			c := s.client
			if c.lastSeq == ev.Seq || !matches(s.filter, ch) {
				continue
			}
			c.lastSeq = ev.Seq
			if c.resume != nil {
				if c.resume.active(now) {
					c.resume.delivered[ev.Seq] = struct{}{}
				} else {
					c.resume = nil
					c.resuming.Store(false)
				}
			}
			c.send(mutation)
		}
	}
	deliver(ds.subs.byType[ch.Type])
	if prevType != "" && prevType != ch.Type {
		deliver(ds.subs.byType[prevType])
	}
	deliver(ds.subs.anyType)

	if dp := ds.presence[ch.ID]; dp != nil && len(dp.clients) > 0 {
		updated := textFrame(protocol.AppendDocumentUpdated(nil, &ev))
		for c := range dp.clients {
			c.send(updated)
		}
	}
	return ev.Seq
}

func matches(f Filter, ch Change) bool {
	return f.Match(ch.Doc) || (ch.Prev != nil && f.Match(ch.Prev))
}
