package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/wsclient"
)

// churnMode runs a churner process: it keeps -count slots busy connecting,
// subscribing, joining and leaving presence and disconnecting until its
// stdin is closed, then prints one churnReport as JSON on stdout.
const churnMode = "serve-churners"

// churnReport is what one churner process did.
type churnReport struct {
	Connects   int64            `json:"connects"`   // sockets that got their welcome
	Failed     int64            `json:"failed"`     // dials or handshakes that failed
	Subscribes int64            `json:"subscribes"` // subscriptions confirmed
	Joins      int64            `json:"joins"`
	Leaves     int64            `json:"leaves"`
	Messages   int64            `json:"messages"`     // server messages read
	Closes     map[string]int64 `json:"serverCloses"` // close codes the server sent, by code
	FirstErr   string           `json:"firstErr,omitempty"`
}

// queries are what churners subscribe to: all posts (what the writes
// touch), a filtered subset, one document by parameter, and a type nothing
// writes.
var queries = []struct {
	query  string
	params map[string]any
}{
	{`*[_type == "posts"]`, nil},
	{`*[_type == "posts" && status == "published"]`, nil},
	{`*[_id == $id]`, map[string]any{"id": "1"}},
	{`*[_type == "comments"]`, nil},
}

// churner is the state of one churner process.
type churner struct {
	url                string
	docs               int
	holdMin, holdRange time.Duration

	connects, failed, subscribes, joins, leaves, messages atomic.Int64

	mu       sync.Mutex
	closes   map[string]int64
	firstErr string
}

func runChurners(args []string) error {
	fs := flag.NewFlagSet(churnMode, flag.ExitOnError)
	url := fs.String("url", "", "WebSocket URL")
	first := fs.Int("first", 0, "index of the first slot (names its user and source address)")
	count := fs.Int("count", 0, "slots")
	docs := fs.Int("docs", 10, "documents presence is spread over")
	holdMin := fs.Duration("hold-min", time.Second, "shortest time a socket stays")
	holdMax := fs.Duration("hold-max", 10*time.Second, "longest time a socket stays")
	lifetime := fs.Duration("lifetime", 2*time.Hour, "exit after this long whatever happens")
	_ = fs.Parse(args)

	time.AfterFunc(*lifetime, func() { os.Exit(3) })
	c := &churner{url: *url, docs: max(*docs, 1), holdMin: *holdMin, holdRange: max(*holdMax-*holdMin, 1), closes: map[string]int64{}}

	ctx, stop := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // the coordinator closes stdin to stop
		stop()
	}()
	var wg sync.WaitGroup
	for slot := *first; slot < *first+*count; slot++ {
		wg.Go(func() { c.run(ctx, slot) })
	}
	wg.Wait()
	return json.NewEncoder(os.Stdout).Encode(c.report())
}

// run is one slot: socket after socket until ctx ends.
func (c *churner) run(ctx context.Context, slot int) {
	rng := rand.New(rand.NewPCG(uint64(slot), uint64(time.Now().UnixNano())))
	user := "soak-churner-" + strconv.Itoa(slot/socketsPerUser)
	// Start spread out, not all at once.
	if !sleep(ctx, rand.N(c.holdMin+c.holdRange)) {
		return
	}
	for ctx.Err() == nil {
		if err := c.session(ctx, rng, user, slot); err != nil && ctx.Err() == nil {
			c.fail(err)
		}
		if !sleep(ctx, rand.N(200*time.Millisecond)) {
			return
		}
	}
}

// session is one socket's life: connect, subscribe, maybe join presence,
// hold while reading, maybe leave and unsubscribe, then disconnect.
func (c *churner) session(ctx context.Context, rng *rand.Rand, user string, slot int) error {
	tok, err := token(user, time.Hour)
	if err != nil {
		return err
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := dial(dctx, c.url, tok, tokenVia(rng.IntN(int(tokenVias))), churnerAddr(slot))
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer s.Close()
	_ = s.NetConn().SetDeadline(time.Now().Add(30 * time.Second))
	if err := s.await("welcome"); err != nil {
		return c.serverEnded("welcome", err)
	}
	c.connects.Add(1)
	if err := s.await("presence.snapshot"); err != nil {
		return c.serverEnded("snapshot", err)
	}
	q := queries[rng.IntN(len(queries))]
	if err := s.Send(frame(map[string]any{"type": "subscribe", "query": q.query, "params": q.params})); err != nil {
		return err
	}
	if err := s.await("subscribed"); err != nil {
		return c.serverEnded("subscribed", err)
	}
	c.subscribes.Add(1)

	doc := ""
	if rng.IntN(10) < 7 {
		doc = "soak-doc-" + strconv.Itoa(rng.IntN(c.docs))
		if err := s.Send([]byte(`{"type":"presence.join","documentId":"` + doc + `"}`)); err != nil {
			return err
		}
		c.joins.Add(1)
	}
	hold := c.holdMin + time.Duration(rng.Int64N(int64(c.holdRange)))
	if err := c.hold(ctx, s, hold/2); err != nil {
		return err
	}
	if doc != "" && rng.IntN(2) == 0 {
		if err := s.Send([]byte(`{"type":"presence.leave","documentId":"` + doc + `"}`)); err != nil {
			return err
		}
		c.leaves.Add(1)
	}
	if rng.IntN(4) == 0 {
		if err := s.Send(frame(map[string]any{"type": "unsubscribe", "query": q.query})); err != nil {
			return err
		}
	}
	if err := c.hold(ctx, s, hold-hold/2); err != nil {
		return err
	}
	if rng.IntN(2) == 0 {
		_ = s.CloseNormally()
	} // else the deferred Close cuts the connection, as a lost network does
	return nil
}

// hold reads (and discards) what the server sends for d, or until ctx ends.
func (c *churner) hold(ctx context.Context, s socket, d time.Duration) error {
	end := time.Now().Add(d)
	for time.Now().Before(end) && ctx.Err() == nil {
		wake := time.Now().Add(time.Second)
		if wake.After(end) {
			wake = end
		}
		_ = s.NetConn().SetReadDeadline(wake)
		if _, _, err := s.Next(); err != nil {
			if isTimeout(err) {
				continue
			}
			return c.serverEnded("events", err)
		}
		c.messages.Add(1)
	}
	return nil
}

// serverEnded counts a close frame from the server by code and returns err.
func (c *churner) serverEnded(awaiting string, err error) error {
	var ce *wsclient.CloseError
	if errors.As(err, &ce) {
		c.mu.Lock()
		c.closes[strconv.Itoa(int(ce.Code))]++
		c.mu.Unlock()
	}
	return fmt.Errorf("awaiting %s: %w", awaiting, err)
}

func (c *churner) fail(err error) {
	c.failed.Add(1)
	c.mu.Lock()
	if c.firstErr == "" {
		c.firstErr = err.Error()
	}
	c.mu.Unlock()
}

func (c *churner) report() churnReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	return churnReport{
		Connects: c.connects.Load(), Failed: c.failed.Load(), Subscribes: c.subscribes.Load(),
		Joins: c.joins.Load(), Leaves: c.leaves.Load(), Messages: c.messages.Load(),
		Closes: c.closes, FirstErr: c.firstErr,
	}
}

// sleep waits d or until ctx ends, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// frame encodes a client message; maps of strings always encode.
func frame(msg map[string]any) []byte {
	b, _ := json.Marshal(msg)
	return b
}
