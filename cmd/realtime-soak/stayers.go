package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// stayQuery is what every stayer subscribes to: every document the writes
// touch, so that each write is an event for each stayer.
const stayQuery = `*[_type == "posts"]`

// stayer is a socket connected for the whole soak.
type stayer struct {
	name string
	s    socket

	mu     sync.Mutex
	seqs   *seqTracker
	ended  error // why the socket ended, if it did
	closed chan struct{}
}

// connectStayers opens n stayers, each subscribed to stayQuery and present
// on a document, and starts reading their events.
func connectStayers(ctx context.Context, url string, n int) ([]*stayer, error) {
	var stayers []*stayer
	for i := range n {
		name := "soak-stayer-" + strconv.Itoa(i)
		tok, err := token(name, 24*time.Hour)
		if err != nil {
			return nil, err
		}
		s, err := dial(ctx, url, tok, tokenVia(i%int(tokenVias)), stayerAddr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		st := &stayer{name: name, s: s, seqs: newSeqTracker(), closed: make(chan struct{})}
		stayers = append(stayers, st)
		if err := st.setUp(i); err != nil {
			closeStayers(stayers)
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		go st.read()
	}
	return stayers, nil
}

func (st *stayer) setUp(i int) error {
	_ = st.s.NetConn().SetDeadline(time.Now().Add(30 * time.Second))
	defer st.s.NetConn().SetDeadline(time.Time{})
	if err := st.s.await("presence.snapshot"); err != nil {
		return err
	}
	if err := st.s.Send(frame(map[string]any{"type": "subscribe", "query": stayQuery})); err != nil {
		return err
	}
	if err := st.s.await("subscribed"); err != nil {
		return err
	}
	return st.s.Send(frame(map[string]any{"type": "presence.join", "documentId": "soak-doc-" + strconv.Itoa(i)}))
}

// read records the seq of every mutation event until the socket ends.
func (st *stayer) read() {
	defer close(st.closed)
	for {
		msg, _, err := st.s.Next()
		if err != nil {
			st.mu.Lock()
			st.ended = err
			st.mu.Unlock()
			return
		}
		var ev struct {
			Type string `json:"type"`
			Seq  uint64 `json:"seq"`
		}
		if json.Unmarshal(msg, &ev) != nil || ev.Type != "mutation" {
			continue
		}
		st.mu.Lock()
		st.seqs.add(ev.Seq)
		st.mu.Unlock()
	}
}

// stayerTally sums the stayers' checks against expected events each.
type stayerTally struct {
	received, lost, dup, reorders int
	minReceived                   int
	ended                         []string // stayers whose socket ended, and why
}

func tallyStayers(stayers []*stayer, expected int) stayerTally {
	t := stayerTally{minReceived: expected}
	for _, st := range stayers {
		st.mu.Lock()
		r := st.seqs.received()
		t.received += r
		t.minReceived = min(t.minReceived, r)
		t.lost += st.seqs.lost(expected)
		t.dup += st.seqs.dup
		t.reorders += st.seqs.reorders
		if st.ended != nil {
			t.ended = append(t.ended, st.name+": "+st.ended.Error())
		}
		st.mu.Unlock()
	}
	return t
}

// awaitStayers waits until every stayer has received expected events, or
// timeout.
func awaitStayers(stayers []*stayer, expected int, timeout time.Duration) stayerTally {
	deadline := time.Now().Add(timeout)
	for {
		t := tallyStayers(stayers, expected)
		if t.minReceived >= expected || time.Now().After(deadline) {
			return t
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func closeStayers(stayers []*stayer) {
	for _, st := range stayers {
		_ = st.s.CloseNormally()
	}
}
