package hub

import "sync"

// announcement is a presence join or leave on its way to every other
// socket of the dataset that was there when the change was made.
type announcement struct {
	frame []byte
	to    *recipients
}

// announcer is a dataset's line of presence announcements. They are queued
// under ds.mu, so in the order of the presence changes, and sent by one
// goroutine, started when the line fills and gone when it is empty. So no
// socket sees a user leave before it saw them join, and a join or leave
// (a socket's reading goroutine or poller worker) returns without waiting
// for a fan-out to every socket of the dataset.
type announcer struct {
	mu      sync.Mutex
	queue   []announcement
	sending bool // a goroutine is sending the queue
}

// announce queues frame for every client but except. The caller holds
// ds.mu for writing.
func (ds *dataset) announce(frame []byte, except *Client) {
	to := getRecipients()
	for c := range ds.clients {
		if c != except {
			to.clients = append(to.clients, c)
		}
	}
	an := &ds.announcer
	an.mu.Lock()
	an.queue = append(an.queue, announcement{frame: frame, to: to})
	start := !an.sending
	an.sending = true
	an.mu.Unlock()
	if start {
		go an.sendAll()
	}
}

// sendAll sends the queued announcements in order until none is left.
func (an *announcer) sendAll() {
	for {
		an.mu.Lock()
		if len(an.queue) == 0 {
			an.sending = false
			an.mu.Unlock()
			return
		}
		a := an.queue[0]
		an.queue[0] = announcement{}
		an.queue = an.queue[1:]
		an.mu.Unlock()
		a.send()
	}
}

// send delivers the announcement. A panic is swallowed, so that one bad
// send stops neither the line nor the process: the recipients it did not
// reach miss the announcement, and the list is left to the collector,
// since a shard of it may still be being sent to.
func (a announcement) send() {
	defer func() { _ = recover() }()
	a.to.send(a.frame)
	a.to.release()
}
