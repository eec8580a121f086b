package hub

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// ErrClosed is returned by Connect once the hub is closed.
var ErrClosed = errors.New("hub: closed")

// ErrLimit is returned by Connect when a connection limit is reached; the
// transport closes the socket with CloseTryLater and the error's text.
var ErrLimit = errors.New("hub: connection limit reached")

// Reauthenticator verifies a token sent in an auth message on a live socket.
// It returns the token's expiry (zero: none) or an error; a token for another
// user must be refused.
type Reauthenticator func(token string) (expires time.Time, err error)

// ClientOptions describe one socket being attached.
type ClientOptions struct {
	Dataset string
	User    protocol.User
	// RemoteAddr is the client's address (host only), for the per-address
	// limit.
	RemoteAddr string
	// Expires closes the client with CloseUnauthorized at that time unless
	// an auth message extends it. Zero: never.
	Expires time.Time
	// Reauth verifies auth messages. Nil: auth messages are refused.
	Reauth Reauthenticator
	// Limits are this socket's limits; nil: the hub's.
	Limits *Limits
	// Resume, when set, is where the client left off (since=&epoch= on its
	// URL): its subscriptions are first sent what it missed, or it is sent
	// reset when that cannot be done.
	Resume *ResumeFrom
}

// Client is one connected socket as the hub sees it. Its transport reads
// frames and passes each text message to Handle. A socket's transport
// attaches a Wire, through which the hub writes and closes the socket
// itself; a transport without one writes what Drain returns whenever Ready
// fires, closes with CloseCode when Done is closed, and reports Closed.
// When the socket's input ends for any reason the transport calls
// Disconnect.
type Client struct {
	hub    *Hub
	ds     *dataset
	id     string
	addr   string
	user   protocol.User
	reauth Reauthenticator
	limits Limits
	out    *queue
	limit  tokenBucket // used by the reading goroutine only

	// subs, present and gone are guarded by ds.mu. subs holds one
	// subscription per query text: a slice, searched, not a map, since it
	// is bounded by MaxSubscriptions, few sockets hold more than a
	// handful, and a map costs some 250 bytes more per socket.
	subs    []*subscription
	present map[string]struct{}
	gone    bool

	// lastSeq marks the last event enqueued, so that several matching
	// subscriptions deliver one event. Guarded by ds.pubMu.
	lastSeq uint64
	// resume is the pending resume, if any. Guarded by ds.pubMu.
	resume *resumeState
	// resuming is set while resume may be pending, so that a subscribe
	// takes ds.pubMu (to replay) only then and never otherwise waits
	// behind a fan-out.
	resuming atomic.Bool

	closeMu     sync.Mutex
	kicked      bool
	done        chan struct{} // made by Done on first use
	closeCode   uint16
	closeReason string
	closedOnce  sync.Once

	// expiresAt and expiryIdx place the client in the hub's expiries
	// (expiryIdx -1: none). Guarded by the hub's expiries.mu.
	expiresAt int64
	expiryIdx int

	scratch []byte // encoding buffer for replies, reading goroutine only
}

// Connect attaches a client to its dataset and enqueues welcome and the
// presence snapshot, in that order, before anything else it may receive.
func (h *Hub) Connect(opts ClientOptions) (*Client, error) {
	if err := h.admit(opts.User.UserID, opts.RemoteAddr); err != nil {
		return nil, err
	}
	h.live.Add(1)
	limits := h.cfg.Limits
	if opts.Limits != nil {
		limits = *opts.Limits
		limits.setDefaults()
	}
	ds := h.dataset(opts.Dataset)
	c := &Client{
		hub:    h,
		addr:   opts.RemoteAddr,
		ds:     ds,
		id:     h.newClientID(),
		user:   opts.User,
		reauth: opts.Reauth,
		limits: limits,
		out:    newQueue(limits.QueueMessages, limits.QueueBytes),
		limit:  newTokenBucket(limits.MessageRate, limits.MessageBurst),

		expiryIdx: -1,
	}
	welcome := textFrame(protocol.AppendWelcome(nil, c.id, c.user.UserID))
	if opts.Resume != nil {
		// The resume point is checked against the seq under the same
		// lock Publish assigns it with.
		ds.pubMu.Lock()
		defer ds.pubMu.Unlock()
	}
	ds.mu.Lock()
	ds.clients[c] = struct{}{}
	c.send(welcome)
	c.send(textFrame(protocol.AppendSnapshot(nil, ds.snapshot())))
	if opts.Resume != nil {
		c.startResume(*opts.Resume, time.Now())
	}
	ds.mu.Unlock()
	c.setExpiry(opts.Expires)
	return c, nil
}

// ID is the clientId sent in welcome.
func (c *Client) ID() string { return c.id }

// Dataset names the client's dataset.
func (c *Client) Dataset() string { return c.ds.name }

// Ready fires when frames are waiting in the outbound queue of a client
// without a Wire.
func (c *Client) Ready() <-chan struct{} { return c.out.readyChan() }

// Drain appends the queued frames of a client without a Wire to dst and
// empties the queue.
func (c *Client) Drain(dst [][]byte) [][]byte { return c.out.drain(dst) }

// Done is closed when the hub wants the socket closed; CloseCode says how.
func (c *Client) Done() <-chan struct{} {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.done == nil {
		// Made on demand: a socket served with a Wire never needs it.
		c.done = make(chan struct{})
		if c.kicked {
			close(c.done)
		}
	}
	return c.done
}

// Closing reports whether the hub wants the socket closed.
func (c *Client) Closing() bool {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return c.kicked
}

// CloseCode returns the close code and reason once Done is closed.
func (c *Client) CloseCode() (uint16, string) {
	<-c.Done()
	return c.closeCode, c.closeReason
}

// Kick asks the transport to close the socket with code and reason. Only the
// first call counts.
func (c *Client) Kick(code uint16, reason string) { c.kick(code, reason) }

func (c *Client) kick(code uint16, reason string) {
	c.closeMu.Lock()
	if c.kicked {
		c.closeMu.Unlock()
		return
	}
	c.kicked = true
	c.closeCode, c.closeReason = code, reason
	if c.done != nil {
		close(c.done)
	}
	c.closeMu.Unlock()
	// Leave presence and subscriptions now, not when the transport gets
	// round to it: a slow consumer's socket may take a write timeout to
	// end. kick can run under the dataset's lock, hence the goroutine.
	go func() {
		defer c.hub.recovered(nil)
		c.Disconnect()
	}()
	// The stream's owner, or a writer started here when nobody owns it,
	// finishes the connection.
	q := c.out
	q.mu.Lock()
	q.closing = true
	start := q.wire != nil && !q.busy
	if start {
		q.busy = true
	}
	q.mu.Unlock()
	if start {
		go c.writeOut()
	}
}

// Send writes or enqueues a ready frame (a transport's control frames, such
// as a ping or a pong).
func (c *Client) Send(frame []byte) { c.send(frame) }

// reply encodes a message with fn into the client's scratch buffer and
// enqueues it.
func (c *Client) reply(fn func([]byte) []byte) {
	c.scratch = fn(c.scratch[:0])
	c.send(textFrame(c.scratch))
}

func (c *Client) replyError(e *protocol.Error) {
	c.reply(func(b []byte) []byte { return protocol.AppendError(b, e) })
}

// Handle processes one text message from the socket. Bad input is answered
// with an error message; only a rate-limit breach closes the socket.
func (c *Client) Handle(data []byte) {
	if !c.limit.allow(time.Now()) {
		c.kick(CloseRateLimited, "rate limit exceeded")
		return
	}
	msg, perr := protocol.Decode(data)
	if perr != nil {
		c.replyError(perr)
		return
	}
	switch msg.Type {
	case protocol.TypePing:
		c.reply(func(b []byte) []byte { return protocol.AppendType(b, protocol.TypePong) })
	case protocol.TypePresenceJoin:
		c.join(msg.DocumentID)
	case protocol.TypePresenceLeave:
		c.leave(msg.DocumentID)
	case protocol.TypeSubscribe:
		c.subscribe(msg)
	case protocol.TypeUnsubscribe:
		c.unsubscribe(msg.Query)
	case protocol.TypeAuth:
		c.authenticate(msg.Token)
	case protocol.TypeResume:
		c.resumeMessage(msg)
	}
}

// Closed reports that the connection is finished (its close frame, if any,
// written). Hub.Shutdown waits for it; it is idempotent. A client with a
// Wire reports it itself.
func (c *Client) Closed() {
	c.closedOnce.Do(func() { c.hub.live.Add(-1) })
}

// HandleBinary answers a binary message: the protocol is JSON text only.
func (c *Client) HandleBinary() {
	if !c.limit.allow(time.Now()) {
		c.kick(CloseRateLimited, "rate limit exceeded")
		return
	}
	c.replyError(protocol.Errorf(protocol.CodeBinaryFrame, "messages are JSON text frames"))
}

// Disconnect detaches the client: its presence is left (announced where it
// was a user's last socket on a document) and its subscriptions dropped. It
// is idempotent and must be called when the socket ends. The leaves are
// queued in the dataset's line of announcements (see announcer), not sent,
// before it returns.
func (c *Client) Disconnect() {
	c.kick(CloseGoingAway, "")
	c.setExpiry(time.Time{})
	c.detach()
}

// detach removes the client from its dataset, queueing its leaves.
func (c *Client) detach() {
	ds := c.ds
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if c.gone {
		return
	}
	c.gone = true
	c.hub.release(c.user.UserID, c.addr)
	for id := range c.present {
		ds.removePresence(c, id)
	}
	for _, s := range c.subs {
		ds.subs.remove(s)
	}
	// A message read after this (the socket is closing) must find none
	// of them: removing one twice would remove another client's.
	c.subs = nil
	delete(ds.clients, c)
}

func (c *Client) authenticate(token string) {
	if c.reauth == nil {
		c.replyError(protocol.Errorf(protocol.CodeBadToken, "token refresh is not enabled"))
		return
	}
	exp, err := c.reauth(token)
	if err != nil {
		c.replyError(protocol.Errorf(protocol.CodeBadToken, "%v", err))
		return
	}
	c.setExpiry(exp)
	c.reply(func(b []byte) []byte { return protocol.AppendAuthenticated(b, c.user.UserID, exp) })
}

func (c *Client) setExpiry(t time.Time) { c.hub.expiries.set(c, t) }
