package hub

// announcement is a presence join or leave on its way to every other
// socket of the dataset. It is collected while ds.mu is held for the
// change and sent after it is released, in the order of the changes: each
// announcement is sent only once the one before it is, so no socket sees a
// user leave before it saw them join.
type announcement struct {
	frame []byte
	to    *recipients
	after <-chan struct{} // the previous announcement's done; nil: none
	done  chan struct{}
}

// announce collects frame's recipients, every client but except, and takes
// the announcement's place in line. The caller holds ds.mu for writing and
// must send the announcement after releasing it.
func (ds *dataset) announce(frame []byte, except *Client) *announcement {
	to := getRecipients()
	for c := range ds.clients {
		if c != except {
			to.clients = append(to.clients, c)
		}
	}
	a := &announcement{frame: frame, to: to, after: ds.announced, done: make(chan struct{})}
	ds.announced = a.done
	return a
}

// send delivers the announcement once the one before it is delivered. A
// nil announcement sends nothing.
func (a *announcement) send() {
	if a == nil {
		return
	}
	if a.after != nil {
		<-a.after
	}
	a.to.send(a.frame)
	a.to.release()
	close(a.done)
}
