// Command centrifuge-target is the centrifuge baseline of realtime-bench: a
// server built on github.com/centrifugal/centrifuge (the engine of
// Centrifugo) with its in-memory broker, serving the same benchmark as the
// sidecar. It lives in its own Go module so that the product's go.mod does
// not carry centrifuge.
//
// Clients connect to /connection/websocket with centrifuge's JSON protocol,
// authenticate with the same HS256 token as the sidecar's clients (sub,
// name, exp; secret in JWT_SECRET), and subscribe to the channel "posts"
// (and, for the memory benchmark, to "doc:…" channels, which keep
// presence). A POST to /post with {"id":…} publishes the same mutation
// event the sidecar would send to "posts". /debug/pprof serves the goroutine
// count and a GC for the bench's measurements.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/centrifugal/centrifuge"
	"github.com/golang-jwt/jwt/v5"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "listen address")
	flag.Parse()
	secret := []byte(os.Getenv("JWT_SECRET"))
	if len(secret) == 0 {
		log.Fatal("JWT_SECRET is not set")
	}
	node, err := centrifuge.New(centrifuge.Config{})
	if err != nil {
		log.Fatal(err)
	}
	node.OnConnecting(func(_ context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		claims, err := verify(e.Token, secret)
		if err != nil {
			return centrifuge.ConnectReply{}, centrifuge.DisconnectInvalidToken
		}
		return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{
			UserID: claims.Subject,
			Info:   []byte(strconv.Quote(claims.Name)),
		}}, nil
	})
	node.OnConnect(func(c *centrifuge.Client) {
		c.OnSubscribe(func(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			presence := strings.HasPrefix(e.Channel, "doc:")
			cb(centrifuge.SubscribeReply{Options: centrifuge.SubscribeOptions{EmitPresence: presence}}, nil)
		})
	})
	if err := node.Run(); err != nil {
		log.Fatal(err)
	}

	pub := &publisher{node: node, epoch: strconv.FormatInt(time.Now().UnixNano(), 16)}
	http.Handle("/connection/websocket", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		CheckOrigin: func(*http.Request) bool { return true },
	}))
	http.Handle("/post", pub)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

type claims struct {
	Name string `json:"name"`
	jwt.RegisteredClaims
}

func verify(token string, secret []byte) (*claims, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return secret, nil },
		jwt.WithValidMethods([]string{"HS256", "HS384", "HS512"}), jwt.WithExpirationRequired())
	if err != nil {
		return nil, err
	}
	if c.Subject == "" {
		return nil, errors.New("token has no sub")
	}
	return &c, nil
}

// publisher turns a POST of {"id":…} into the mutation event the sidecar
// would send, published to "posts". Publishes are serialised so that seq
// follows the order of the POSTs, as in the sidecar.
type publisher struct {
	node  *centrifuge.Node
	epoch string
	mu    sync.Mutex
	seq   uint64
}

func (p *publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var doc struct {
		ID string `json:"id"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&doc) != nil || doc.ID == "" {
		http.Error(w, "POST {\"id\":…}", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.seq++
	data := fmt.Appendf(nil, `{"type":"mutation","documentId":%q,"documentType":"post","operation":"create","ts":%q,"seq":%d,"epoch":%q}`,
		doc.ID, time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"), p.seq, p.epoch)
	_, err := p.node.Publish("posts", data)
	p.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = fmt.Fprintf(w, `{"id":%q,"_type":"post"}`, doc.ID)
}
