package hub

import "sync"

// dataset is the isolation unit: a socket belongs to exactly one and never
// sees another's presence or events.
type dataset struct {
	name string

	// pubMu serialises Publish so that seq is assigned and events are
	// enqueued in one order for every recipient.
	pubMu sync.Mutex
	seq   uint64

	mu       sync.RWMutex
	clients  map[*Client]struct{}
	presence map[string]*docPresence
	subs     subscriptionIndex
}

func newDataset(name string) *dataset {
	return &dataset{
		name:     name,
		clients:  make(map[*Client]struct{}),
		presence: make(map[string]*docPresence),
		subs:     newSubscriptionIndex(),
	}
}

// broadcast enqueues frame to every client of the dataset but except.
// The caller holds ds.mu.
func (ds *dataset) broadcast(frame []byte, except *Client) {
	for c := range ds.clients {
		if c != except {
			c.send(frame)
		}
	}
}
