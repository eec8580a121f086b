package hub

// Wire is a socket as the hub writes to it. A transport attaches one to each
// client it serves (Client.Attach); from then on the hub writes the
// client's frames itself, from the goroutine that sends them when the
// socket takes them at once, else from a writer goroutine it starts on
// demand, and finishes the connection with Close or Abort when the client
// is kicked. The hub never calls two of a wire's methods at the same time.
type Wire interface {
	// TryWrite writes as much of p as the socket takes at once, without
	// blocking, and returns how much that was: 0 when it takes nothing,
	// or when the wire cannot write without blocking. An error means the
	// socket failed.
	TryWrite(p []byte) (int, error)
	// Write writes frames in order, blocking at most the transport's
	// write timeout. An error may leave the stream mid-frame.
	Write(frames [][]byte) error
	// Close writes last (briefly), then a close frame with code and
	// reason, and ends the connection gracefully.
	Close(last [][]byte, code uint16, reason string)
	// Abort ends the connection at once: a write failed, so no close
	// frame can follow.
	Abort()
}

// Attach hands the client's outbound stream to w: what is queued (welcome
// and the snapshot, at least) is written, and so is everything sent later.
// When the client is kicked the hub writes its close frame through w and
// reports Closed itself. Call it once, before the socket is read.
func (c *Client) Attach(w Wire) {
	q := c.out
	q.mu.Lock()
	q.wire = w
	start := len(q.frames) > 0 || q.closing
	q.busy = start
	q.mu.Unlock()
	if start {
		go c.writeOut()
	}
}

// send writes frame to the socket or queues it; it never blocks, so it is
// safe under the dataset's locks. A full queue closes the client as a slow
// consumer. Calls made in order are written in that order.
func (c *Client) send(frame []byte) {
	q := c.out
	q.mu.Lock()
	switch {
	case q.finished:
		q.mu.Unlock()
		return
	case q.wire == nil || q.busy || q.closing:
		ok := q.pushLocked(frame)
		q.mu.Unlock()
		if !ok {
			c.kick(CloseSlowConsumer, "slow consumer: outbound queue full")
		}
		return
	}
	// The stream is idle, so nothing is queued: write straight away.
	q.busy = true
	w := q.wire
	q.mu.Unlock()
	n, err := w.TryWrite(frame)
	q.mu.Lock()
	switch {
	case err != nil:
		q.broken = true
	case n < len(frame):
		q.requeueLocked(frame[n:], n > 0)
	}
	handOff := q.broken || q.closing || len(q.frames) > 0
	q.busy = handOff
	q.mu.Unlock()
	if err != nil {
		c.kick(CloseGoingAway, "write failed")
	}
	if handOff {
		go c.writeOut()
	}
}

// writeOut owns the stream until the queue is empty, then lets it go; when
// the client was kicked it finishes the connection instead.
func (c *Client) writeOut() {
	q := c.out
	defer func() {
		if v := recover(); v != nil {
			c.hub.reportPanic(v)
			// This goroutine owns the stream, and kick starts no writer
			// while one is busy: end the stream here, mid-frame perhaps.
			q.mu.Lock()
			q.broken = true
			q.mu.Unlock()
			c.kick(CloseInternalError, "internal error")
			c.finish()
		}
	}()
	var batch [][]byte
	for {
		q.mu.Lock()
		if q.closing {
			q.mu.Unlock()
			c.finish()
			return
		}
		if len(q.frames) == 0 {
			q.busy = false
			q.mu.Unlock()
			return
		}
		batch = q.takeLocked(batch[:0])
		q.mu.Unlock()
		err := q.wire.Write(batch)
		clear(batch)
		if err != nil {
			q.mu.Lock()
			q.broken = true
			q.mu.Unlock()
			c.kick(CloseGoingAway, "write failed")
		}
	}
}

// finish ends the connection with the client's close code: after what is
// still queued (but for a slow consumer, whose queue is the problem, only
// the rest of a frame already begun), or at once when a write failed. Then
// it reports Closed.
func (c *Client) finish() {
	q := c.out
	q.mu.Lock()
	broken := q.broken
	var last [][]byte
	switch {
	case broken:
	case c.closeCode != CloseSlowConsumer:
		last = q.takeLocked(nil)
	case q.partial:
		last = q.frames[:1]
	}
	q.frames, q.bytes, q.finished = nil, 0, true
	q.mu.Unlock()
	if broken {
		q.wire.Abort()
	} else {
		q.wire.Close(last, c.closeCode, c.closeReason)
	}
	c.Closed()
}
