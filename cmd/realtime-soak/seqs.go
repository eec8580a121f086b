package main

// seqTracker checks one socket's mutation events by seq: every seq once,
// in increasing order.
type seqTracker struct {
	seen     map[uint64]bool
	last     uint64
	dup      int // seqs received more than once
	reorders int // seqs received after a higher one
}

func newSeqTracker() *seqTracker { return &seqTracker{seen: map[uint64]bool{}} }

// add records one event's seq.
func (t *seqTracker) add(seq uint64) {
	if t.seen[seq] {
		t.dup++
		return
	}
	t.seen[seq] = true
	if seq < t.last {
		t.reorders++
	}
	t.last = max(t.last, seq)
}

// received is how many distinct seqs arrived.
func (t *seqTracker) received() int { return len(t.seen) }

// lost is how many of expected events did not arrive: the shortfall in
// count, or the holes in the seq range if there are more.
func (t *seqTracker) lost(expected int) int {
	return max(expected-len(t.seen), t.gaps(), 0)
}

// gaps is how many seqs are missing between the lowest and the highest
// received: every write the soak makes is an event every stayer matches,
// so the seqs a stayer receives are consecutive.
func (t *seqTracker) gaps() int {
	if len(t.seen) == 0 {
		return 0
	}
	lo := t.last
	for seq := range t.seen {
		lo = min(lo, seq)
	}
	return int(t.last-lo+1) - len(t.seen)
}
