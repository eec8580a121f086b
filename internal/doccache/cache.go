package doccache

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/dgraph-io/ristretto/v2"
)

// DefaultMaxBytes bounds a cache created with a non-positive size.
const DefaultMaxBytes = 64 << 20

// avgDocBytes is the document size the counter table is sized for: ristretto wants about
// ten counters per entry the cache can hold.
const avgDocBytes = 1024

// Key identifies a document of a dataset.
type Key struct {
	Dataset string
	// Collection scopes ID where a CMS's ids are unique only within a collection
	// (json-server, Directus, Payload on SQL); it is empty where ids are unique in the
	// whole dataset.
	Collection string
	ID         string
}

// String is the cache's own key. Dataset and Collection are length-prefixed, so distinct
// keys never share it whatever bytes their parts hold.
func (k Key) String() string {
	return strconv.Itoa(len(k.Dataset)) + ":" + k.Dataset + strconv.Itoa(len(k.Collection)) + ":" + k.Collection + k.ID
}

// PublishState is whether a document was published when last seen.
type PublishState int8

// The publish states. Unknown is the zero value: the document said nothing about it.
const (
	Unknown PublishState = iota
	Unpublished
	Published
)

func (s PublishState) String() string {
	switch s {
	case Unpublished:
		return "unpublished"
	case Published:
		return "published"
	}
	return "unknown"
}

// Entry is the last seen state of one document.
type Entry struct {
	Type  string
	State PublishState
	// Doc is the document as last seen. It is shared with every reader of the cache and
	// must not be modified.
	Doc map[string]any
}

// Record is an entry with its key, as stored by [Cache.Set].
type Record struct {
	Key   Key
	Entry Entry
}

type stored struct {
	key   string
	entry Entry
}

// Cache is a concurrency-safe, size-bounded map from [Key] to [Entry]. A nil *Cache is
// valid and remembers nothing.
type Cache struct {
	mu     sync.RWMutex // guards closed against ristretto's Close racing a Set
	closed bool
	rc     *ristretto.Cache[string, stored]
}

// New returns a cache holding about maxBytes of documents (DefaultMaxBytes when
// maxBytes <= 0).
func New(maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	rc, err := ristretto.NewCache(&ristretto.Config[string, stored]{
		NumCounters:        max(10*maxBytes/avgDocBytes, 1000),
		MaxCost:            maxBytes,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("doccache: %w", err)
	}
	return &Cache{rc: rc}, nil
}

// Get returns the last seen state of the document k.
func (c *Cache) Get(k Key) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return Entry{}, false
	}
	key := k.String()
	s, ok := c.rc.Get(key)
	if !ok || s.key != key {
		return Entry{}, false
	}
	return s.entry, true
}

// Set stores records and returns once each is visible to Get (or was turned away by the
// admission policy).
func (c *Cache) Set(records ...Record) {
	if c == nil || len(records) == 0 {
		return
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return
	}
	for _, r := range records {
		key := r.Key.String()
		c.rc.Set(key, stored{key: key, entry: r.Entry}, entryCost(key, r.Entry))
	}
	c.rc.Wait()
}

// Delete forgets the document k.
func (c *Cache) Delete(k Key) {
	if c == nil {
		return
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return
	}
	c.rc.Del(k.String())
}

// Close releases the cache's goroutines. The cache remembers nothing afterwards; calls
// racing or following Close are safe no-ops.
func (c *Cache) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	c.rc.Close()
}
