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

// Publish assigns the change the dataset's next seq and sends one mutation
// event to every client with a subscription whose filter matches (one per
// client, however many of its subscriptions match) and one
// document.updated to every client present on the document. Each event is
// encoded once and its frame shared by all recipients; each distinct filter
// is evaluated once.
//
// The recipients are collected under the dataset's read lock and sent to
// after it is released, spread over the CPUs. Publishes of one dataset are
// serialised until their last send, so every client gets events in seq
// order. It returns the seq.
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
	mutation := textFrame(protocol.AppendMutation(nil, &ev))
	h.cfg.History.Append(ds.name, HistoryEntry{Seq: ev.Seq, Change: ch, frame: mutation})

	matched, present := &ds.matched, &ds.present
	defer matched.reset()
	defer present.reset()
	ds.collectRecipients(ch, ev.Seq, matched, present)

	matched.send(mutation)
	if len(present.clients) > 0 {
		present.send(textFrame(protocol.AppendDocumentUpdated(nil, &ev)))
	}
	return ev.Seq
}

// collectRecipients adds to matched the clients a change's mutation goes
// to and to present those present on its document, under the dataset's
// read lock (released however the filters end).
func (ds *dataset) collectRecipients(ch Change, seq uint64, matched, present *recipients) {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	ds.collectMatches(ch, seq, matched)
	if dp := ds.presence[ch.ID]; dp != nil {
		for c := range dp.clients {
			present.clients = append(present.clients, c)
		}
	}
}

// collectMatches evaluates every filter that could select the change once
// and adds each client with a matching subscription to r once, recording
// the event for a client's pending resume. The caller holds ds.pubMu and
// ds.mu (read).
func (ds *dataset) collectMatches(ch Change, seq uint64, r *recipients) {
	now := time.Now()
	deliver := func(set map[*sharedFilter]struct{}) {
		for sf := range set {
			if sf.evaluated == seq {
				continue
			}
			sf.evaluated = seq
			if !matches(sf.filter, ch) {
				continue
			}
			for _, s := range sf.subs {
				if c := s.client; c.lastSeq != seq {
					c.lastSeq = seq
					c.noteDelivered(seq, now)
					r.clients = append(r.clients, c)
				}
			}
		}
	}
	deliver(ds.subs.byType[ch.Type])
	if prevType, _ := ch.Prev["_type"].(string); prevType != "" && prevType != ch.Type {
		deliver(ds.subs.byType[prevType])
	}
	deliver(ds.subs.anyType)
}

func matches(f Filter, ch Change) bool {
	return f.Match(ch.Doc) || (ch.Prev != nil && f.Match(ch.Prev))
}
