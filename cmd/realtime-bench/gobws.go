package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	_ "net/http/pprof" // goroutine count and GC for the memory benchmark
	"strconv"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// gobwsMode runs the raw gobwas/ws baseline server.
const gobwsMode = "serve-gobws"

// gobwsServer is the raw baseline: a goroutine per socket reads frames, and
// one goroutine writes each event, compiled once into a frame, to every
// socket in turn. No authentication, filters or queues: the floor a real
// server's cost is compared with. It speaks just enough of the protocol for
// the bench clients: welcome and an empty presence.snapshot on connect,
// subscribed in reply to subscribe.
type gobwsServer struct {
	mu     sync.Mutex
	conns  map[*gobwsConn]struct{}
	events chan []byte
	epoch  string

	pubMu sync.Mutex // orders seq and events as the POSTs arrive
	seq   uint64
}

// gobwsConn serialises the reader's replies with the broadcaster's writes.
type gobwsConn struct {
	mu   sync.Mutex
	conn net.Conn
}

func (c *gobwsConn) write(frame []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.conn.Write(frame)
	return err
}

var (
	gobwsWelcome    = ws.MustCompileFrame(ws.NewTextFrame([]byte(`{"type":"welcome","clientId":"c","userId":"u"}`)))
	gobwsSnapshot   = ws.MustCompileFrame(ws.NewTextFrame([]byte(`{"type":"presence.snapshot","documents":[]}`)))
	gobwsSubscribed = ws.MustCompileFrame(ws.NewTextFrame([]byte(`{"type":"subscribed","query":` + strconv.Quote(postQuery) + `}`)))
)

func runGobws(args []string) error {
	fs := flag.NewFlagSet(gobwsMode, flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	_ = fs.Parse(args)
	s := &gobwsServer{
		conns:  make(map[*gobwsConn]struct{}),
		events: make(chan []byte, 1024),
		epoch:  strconv.FormatInt(time.Now().UnixNano(), 16)[:16],
	}
	go s.broadcast()
	http.HandleFunc("/ws", s.serveSocket)
	http.HandleFunc("/post", s.publish)
	return http.ListenAndServe(*addr, nil)
}

func (s *gobwsServer) serveSocket(w http.ResponseWriter, r *http.Request) {
	conn, _, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return
	}
	c := &gobwsConn{conn: conn}
	if c.write(gobwsWelcome) != nil || c.write(gobwsSnapshot) != nil {
		_ = conn.Close()
		return
	}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	go s.read(c)
}

// read answers subscribe and drops everything else until the socket closes.
func (s *gobwsServer) read(c *gobwsConn) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		_ = c.conn.Close()
	}()
	for {
		msg, op, err := wsutil.ReadClientData(c.conn)
		if err != nil {
			return
		}
		if op == ws.OpText && bytes.Contains(msg, []byte(`"type":"subscribe"`)) {
			if c.write(gobwsSubscribed) != nil {
				return
			}
		}
	}
}

// broadcast writes every event's frame to every socket, one after another.
func (s *gobwsServer) broadcast() {
	var conns []*gobwsConn
	for frame := range s.events {
		s.mu.Lock()
		conns = conns[:0]
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			_ = c.write(frame)
		}
	}
}

// publish turns a POST of {"id":…} into the sidecar's mutation event.
func (s *gobwsServer) publish(w http.ResponseWriter, r *http.Request) {
	var doc struct {
		ID string `json:"id"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&doc) != nil || doc.ID == "" {
		http.Error(w, `POST {"id":…}`, http.StatusBadRequest)
		return
	}
	s.pubMu.Lock()
	s.seq++
	s.events <- ws.MustCompileFrame(ws.NewTextFrame(mutationJSON(nil, doc.ID, s.seq, time.Now(), s.epoch)))
	s.pubMu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(`{"id":` + strconv.Quote(doc.ID) + `,"_type":"post"}`))
}
