package hub

import "sync"

// dataset is the isolation unit: a socket belongs to exactly one and never
// sees another's presence or events.
type dataset struct {
	name string

	// pubMu serialises Publish, from assigning seq to the last send, so
	// that every recipient gets events in seq order.
	pubMu sync.Mutex
	seq   uint64
	// matched and present are Publish's recipients, kept from one publish
	// to the next so that a fan-out allocates nothing once they have grown
	// to the dataset's size. Guarded by pubMu.
	matched, present recipients

	mu       sync.RWMutex
	clients  map[*Client]struct{}
	presence map[string]*docPresence
	subs     subscriptionIndex
	// announcer sends presence announcements in the order of the changes.
	announcer announcer
}

func newDataset(name string) *dataset {
	return &dataset{
		name:     name,
		clients:  make(map[*Client]struct{}),
		presence: make(map[string]*docPresence),
		subs:     newSubscriptionIndex(),
	}
}
