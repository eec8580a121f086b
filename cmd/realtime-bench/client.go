package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/wsclient"
)

// clientMode runs a client process: the bench starts as many as the socket
// count needs, each holding at most maxSocketsPerProcess sockets.
const clientMode = "serve-clients"

// Wire protocols the clients speak.
const (
	protoSidecar    = "sidecar"    // the project's protocol (the gobws baseline answers the same)
	protoCentrifuge = "centrifuge" // centrifuge's JSON protocol
)

// presenceDocument is the document every memory-benchmark socket is present on.
const presenceDocument = "bench-doc"

// Messages between the bench and a client process, one JSON value a line:
// the process prints a clientReady once its sockets are connected; then the
// bench sends collectRequests on stdin and reads a phaseReport for each.
// Closing stdin closes the sockets and ends the process.
type clientReady struct {
	Connected int    `json:"connected"`
	Failed    int    `json:"failed"`
	Err       string `json:"err,omitempty"`
}

type collectRequest struct {
	Phase    string        `json:"phase"`
	Expected int           `json:"expected"` // events each socket should receive
	Timeout  time.Duration `json:"timeout"`
}

type phaseReport struct {
	Phase    string      `json:"phase"`
	Received int64       `json:"received"`
	Expected int64       `json:"expected"`
	Closed   int64       `json:"closed"` // sockets the server closed
	LastNS   int64       `json:"lastNs"` // when the last event arrived
	Hist     [][2]uint64 `json:"hist"`
}

// clientProcess holds this process's sockets and what they received.
type clientProcess struct {
	proto  string
	open   atomic.Int64
	closed atomic.Int64
	phases map[byte]*phaseCounters
	// closeReasons reports the first close frame a socket got.
	closeReasons sync.Once
}

type phaseCounters struct {
	received atomic.Int64
	last     atomic.Int64
	hist     histogram
}

func runClient(args []string) error {
	fs := flag.NewFlagSet(clientMode, flag.ExitOnError)
	proto := fs.String("proto", protoSidecar, "wire protocol: sidecar or centrifuge")
	url := fs.String("url", "", "WebSocket URL")
	first := fs.Int("first", 0, "index of the first socket (names its user and source address)")
	count := fs.Int("count", 0, "sockets to open")
	perAddr := fs.Int("per-addr", 500, "sockets per 127.x source address")
	presence := fs.Bool("presence", false, "also join presence on a document")
	parallel := fs.Int("parallel", 32, "connections in progress at once")
	lifetime := fs.Duration("lifetime", time.Hour, "exit after this long whatever happens")
	_ = fs.Parse(args)

	time.AfterFunc(*lifetime, func() { os.Exit(3) })
	p := &clientProcess{proto: *proto, phases: make(map[byte]*phaseCounters)}
	for _, ph := range []byte{phaseWarmup, phaseSpaced, phaseBurst, phaseProxy} {
		p.phases[ph] = &phaseCounters{}
	}

	var (
		wg      sync.WaitGroup
		sem     = make(chan struct{}, *parallel)
		failed  atomic.Int64
		errOnce sync.Once
		firstEr string
		sockets = make([]*wsclient.Conn, *count)
	)
	for i := range *count {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := p.connect(*url, *first+i, *perAddr, *presence)
			if err != nil {
				failed.Add(1)
				errOnce.Do(func() { firstEr = err.Error() })
				return
			}
			sockets[i] = c
			p.open.Add(1)
			go p.read(c)
		}()
	}
	wg.Wait()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(clientReady{Connected: int(p.open.Load()), Failed: int(failed.Load()), Err: firstEr}); err != nil {
		return err
	}

	in := json.NewDecoder(os.Stdin)
	for {
		var req collectRequest
		if err := in.Decode(&req); err != nil {
			break // stdin closed: the bench is done (or gone)
		}
		if err := out.Encode(p.collect(req)); err != nil {
			break
		}
	}
	for _, c := range sockets {
		if c != nil {
			_ = c.Close()
		}
	}
	return nil
}

// collect waits until every open socket has received the phase's events, or
// the timeout, and reports.
func (p *clientProcess) collect(req collectRequest) phaseReport {
	pc := p.phases[req.Phase[0]]
	deadline := time.Now().Add(req.Timeout)
	want := int64(req.Expected) * p.open.Load()
	for pc.received.Load() < want && time.Now().Before(deadline) && p.closed.Load() < p.open.Load() {
		time.Sleep(2 * time.Millisecond)
	}
	return phaseReport{
		Phase:    req.Phase,
		Received: pc.received.Load(),
		Expected: want,
		Closed:   p.closed.Load(),
		LastNS:   pc.last.Load(),
		Hist:     pc.hist.sparse(),
	}
}

// connect opens socket i from its 127.x source address and runs the
// protocol's handshake: authenticated, subscribed to posts and, with
// presence, present on presenceDocument.
func (p *clientProcess) connect(url string, i, perAddr int, presence bool) (*wsclient.Conn, error) {
	tok, err := token(i, 2*time.Hour)
	if err != nil {
		return nil, err
	}
	src := sourceAddr(i, perAddr)
	if p.proto == protoSidecar {
		url += "?token=" + tok
	}
	c, err := wsclient.Dial(context.Background(), ws.Dialer{Timeout: 30 * time.Second, NetDial: wsclient.From(src)}, url)
	if err != nil {
		return nil, err
	}
	_ = c.NetConn().SetDeadline(time.Now().Add(60 * time.Second))
	if p.proto == protoCentrifuge {
		err = centrifugeHandshake(c, tok, presence)
	} else {
		err = sidecarHandshake(c, presence)
	}
	if err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("socket %d from %s: %w", i, src, err)
	}
	_ = c.NetConn().SetDeadline(time.Time{})
	return c, nil
}

// sourceAddr spreads sockets over 127.1.x.y, perAddr to an address, so that
// no address runs out of ephemeral ports.
func sourceAddr(i, perAddr int) net.IP {
	n := i/perAddr + 1
	return net.IPv4(127, 1, byte(n>>8), byte(n))
}

func sidecarHandshake(c *wsclient.Conn, presence bool) error {
	if err := await(c, `"type":"presence.snapshot"`); err != nil {
		return err
	}
	sub, _ := json.Marshal(map[string]string{"type": "subscribe", "query": postQuery})
	if err := c.Send(sub); err != nil {
		return err
	}
	if err := await(c, `"type":"subscribed"`); err != nil {
		return err
	}
	if presence {
		return c.Send([]byte(`{"type":"presence.join","documentId":"` + presenceDocument + `"}`))
	}
	return nil
}

func centrifugeHandshake(c *wsclient.Conn, tok string, presence bool) error {
	steps := []string{
		`{"id":1,"connect":{"token":` + strconv.Quote(tok) + `}}`,
		`{"id":2,"subscribe":{"channel":"posts"}}`,
	}
	if presence {
		steps = append(steps, `{"id":3,"subscribe":{"channel":"doc:`+presenceDocument+`"}}`)
	}
	for i, cmd := range steps {
		if err := c.Send([]byte(cmd)); err != nil {
			return err
		}
		if err := await(c, `"id":`+strconv.Itoa(i+1)+`,`); err != nil {
			return err
		}
	}
	return nil
}

// await reads messages until one contains want; an error message fails.
func await(c *wsclient.Conn, want string) error {
	for {
		msg, _, err := c.Next()
		if err != nil {
			return err
		}
		if bytes.Contains(msg, []byte(want)) {
			if bytes.Contains(msg, []byte(`"error"`)) {
				return fmt.Errorf("refused: %s", msg)
			}
			return nil
		}
		if bytes.Contains(msg, []byte(`"type":"error"`)) {
			return fmt.Errorf("error: %s", msg)
		}
	}
}

// read counts every benchmark event the socket receives until it closes.
func (p *clientProcess) read(c *wsclient.Conn) {
	defer p.closed.Add(1)
	defer c.Close()
	for {
		msg, _, err := c.Next()
		if err != nil {
			if errors.As(err, new(*wsclient.CloseError)) {
				p.closeReasons.Do(func() { fmt.Fprintf(os.Stderr, "client: a socket was closed: %v\n", err) })
			}
			return
		}
		now := time.Now()
		if p.proto != protoCentrifuge {
			p.count(msg, now)
			continue
		}
		// centrifuge may put several messages in one frame, a line each,
		// and pings the client with an empty message it must answer.
		for line := range bytes.SplitSeq(msg, []byte("\n")) {
			if bytes.Equal(line, []byte("{}")) {
				if c.Send(line) != nil {
					return
				}
				continue
			}
			p.count(line, now)
		}
	}
}

func (p *clientProcess) count(msg []byte, now time.Time) {
	phase, at, ok := parseEvent(msg)
	if !ok {
		return
	}
	pc := p.phases[phase]
	if pc == nil {
		return
	}
	pc.hist.record(now.Sub(at))
	pc.received.Add(1)
	ns := now.UnixNano()
	for {
		last := pc.last.Load()
		if ns <= last || pc.last.CompareAndSwap(last, ns) {
			return
		}
	}
}
