package hub

import (
	"sync"
	"time"
)

// HistoryEntry is one published change kept for resume.
type HistoryEntry struct {
	Seq    uint64
	Change Change
	// frame is the encoded mutation event, shared with live delivery.
	frame []byte
}

// History keeps a dataset's recent events so that a client that reconnects
// with since=SEQ can be sent what it missed. The embedded default is an
// in-memory ring (NewRingHistory); a shared store (Redis Streams) can
// implement the same interface. It must be safe for concurrent use; the
// hub serialises the calls for one dataset.
type History interface {
	// Append records e, the dataset's newest event.
	Append(dataset string, e HistoryEntry)
	// Since returns the entries after seq, oldest first, or ok=false when
	// the history no longer reaches back to seq+1 (the client must reset).
	Since(dataset string, seq uint64, now time.Time) (entries []HistoryEntry, ok bool)
}

// ringHistory is a bounded in-memory History: per dataset, at most size
// entries, none older than maxAge.
type ringHistory struct {
	size   int
	maxAge time.Duration
	mu     sync.Mutex // guards rings: datasets publish concurrently
	rings  map[string]*ring
}

type ring struct {
	entries []HistoryEntry // circular, len <= size
	start   int            // index of the oldest entry
	// evicted is the seq of the newest entry dropped (0: none yet).
	evicted uint64
}

// NewRingHistory returns an in-memory History holding, per dataset, the last
// size events no older than maxAge.
func NewRingHistory(size int, maxAge time.Duration) History {
	return &ringHistory{size: size, maxAge: maxAge, rings: make(map[string]*ring)}
}

func (h *ringHistory) Append(dataset string, e HistoryEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r, ok := h.rings[dataset]
	if !ok {
		r = &ring{}
		h.rings[dataset] = r
	}
	if h.size <= 0 {
		r.evicted = e.Seq
		return
	}
	if len(r.entries) < h.size {
		r.entries = append(r.entries, e)
		return
	}
	r.evicted = r.entries[r.start].Seq
	r.entries[r.start] = e
	r.start = (r.start + 1) % len(r.entries)
}

func (h *ringHistory) Since(dataset string, seq uint64, now time.Time) ([]HistoryEntry, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r, ok := h.rings[dataset]
	if !ok {
		return nil, seq == 0
	}
	if seq < r.evicted {
		return nil, false
	}
	n := len(r.entries)
	var out []HistoryEntry
	for i := 0; i < n; i++ {
		e := r.entries[(r.start+i)%n]
		if e.Seq <= seq {
			continue
		}
		if h.maxAge > 0 && now.Sub(e.Change.TS) > h.maxAge {
			// Too old to replay: the client cannot be brought up to date.
			return nil, false
		}
		out = append(out, e)
	}
	if len(out) > 0 && out[0].Seq != seq+1 {
		return nil, false
	}
	if len(out) == 0 && n > 0 && r.entries[(r.start+n-1)%n].Seq < seq {
		return nil, false // a seq from the future: not this history
	}
	return out, true
}
