package doccache

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func newCache(t *testing.T, maxBytes int64) *Cache {
	t.Helper()
	c, err := New(maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestSetIsVisibleToNextGet(t *testing.T) {
	c := newCache(t, 0)
	for i := range 200 {
		k := Key{Dataset: "prod", ID: fmt.Sprint(i)}
		c.Set(Record{Key: k, Entry: Entry{Type: "post", State: Published, Doc: map[string]any{"_id": k.ID}}})
		got, ok := c.Get(k)
		if !ok {
			t.Fatalf("Get(%v) right after Set: not found", k)
		}
		if got.Type != "post" || got.State != Published || got.Doc["_id"] != k.ID {
			t.Fatalf("Get(%v) = %+v", k, got)
		}
	}
}

func TestSetReplacesAndDeleteForgets(t *testing.T) {
	c := newCache(t, 0)
	k := Key{Dataset: "prod", ID: "a"}
	c.Set(Record{Key: k, Entry: Entry{Type: "post", State: Unpublished}})
	c.Set(Record{Key: k, Entry: Entry{Type: "page", State: Published}})
	if got, _ := c.Get(k); got.Type != "page" || got.State != Published {
		t.Fatalf("after second Set: %+v", got)
	}
	c.Delete(k)
	if got, ok := c.Get(k); ok {
		t.Fatalf("after Delete: %+v", got)
	}
}

func TestSetBatch(t *testing.T) {
	c := newCache(t, 0)
	var recs []Record
	for i := range 50 {
		recs = append(recs, Record{Key: Key{Dataset: "d", ID: fmt.Sprint(i)}, Entry: Entry{Type: "t"}})
	}
	c.Set(recs...)
	for _, r := range recs {
		if _, ok := c.Get(r.Key); !ok {
			t.Fatalf("%v missing after batch Set", r.Key)
		}
	}
}

func TestKeysAreDistinct(t *testing.T) {
	keys := []Key{
		{Dataset: "a", ID: "1"},
		{Dataset: "b", ID: "1"},
		{Dataset: "a", Collection: "posts", ID: "1"},
		{Dataset: "a", Collection: "pages", ID: "1"},
		{Dataset: "a", Collection: "1", ID: ""},
		{Dataset: "a1", ID: ""},
		{Dataset: "a\x00", ID: "1"},
		{Dataset: "a", ID: "\x001"},
		{Dataset: "1:a", ID: "1"},
	}
	c := newCache(t, 0)
	seen := map[string]Key{}
	for i, k := range keys {
		if prev, dup := seen[k.String()]; dup {
			t.Fatalf("%#v and %#v share the key %q", prev, k, k.String())
		}
		seen[k.String()] = k
		c.Set(Record{Key: k, Entry: Entry{Type: fmt.Sprint(i)}})
	}
	for i, k := range keys {
		if got, ok := c.Get(k); !ok || got.Type != fmt.Sprint(i) {
			t.Fatalf("Get(%#v) = %+v, %v; want type %d", k, got, ok, i)
		}
	}
}

func TestBoundedInBytes(t *testing.T) {
	const budget = 64 << 10
	c := newCache(t, budget)
	big := strings.Repeat("x", 4<<10)
	const n = 200
	for i := range n {
		c.Set(Record{Key: Key{Dataset: "d", ID: fmt.Sprint(i)}, Entry: Entry{Doc: map[string]any{"body": big}}})
	}
	kept := 0
	for i := range n {
		if _, ok := c.Get(Key{Dataset: "d", ID: fmt.Sprint(i)}); ok {
			kept++
		}
	}
	if kept == 0 || kept*len(big) > budget {
		t.Fatalf("kept %d documents of %d bytes in a %d-byte cache", kept, len(big), budget)
	}
}

func TestOversizedEntryIsNotKept(t *testing.T) {
	c := newCache(t, 1<<10)
	k := Key{Dataset: "d", ID: "huge"}
	c.Set(Record{Key: k, Entry: Entry{Doc: map[string]any{"body": strings.Repeat("x", 2<<10)}}})
	if _, ok := c.Get(k); ok {
		t.Fatal("a document larger than the whole cache was kept")
	}
}

func TestNilCacheRemembersNothing(t *testing.T) {
	var c *Cache
	k := Key{Dataset: "d", ID: "1"}
	c.Set(Record{Key: k, Entry: Entry{Type: "post"}})
	c.Delete(k)
	if _, ok := c.Get(k); ok {
		t.Fatal("nil cache returned an entry")
	}
	c.Close()
}

func TestClosedCacheIsInert(t *testing.T) {
	c, err := New(0)
	if err != nil {
		t.Fatal(err)
	}
	k := Key{Dataset: "d", ID: "1"}
	c.Set(Record{Key: k, Entry: Entry{Type: "post"}})
	c.Close()
	c.Close()
	c.Set(Record{Key: k, Entry: Entry{Type: "post"}})
	c.Delete(k)
	if _, ok := c.Get(k); ok {
		t.Fatal("closed cache returned an entry")
	}
}

func TestConcurrentUseAndClose(t *testing.T) {
	c, err := New(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				k := Key{Dataset: "d", ID: fmt.Sprint(g, "-", i%20)}
				c.Set(Record{Key: k, Entry: Entry{Type: "t", Doc: map[string]any{"i": float64(i)}}})
				if e, ok := c.Get(k); ok && e.Type != "t" {
					t.Errorf("Get(%v) = %+v", k, e)
				}
				if i%7 == 0 {
					c.Delete(k)
				}
			}
		})
	}
	wg.Go(c.Close)
	wg.Wait()
}

func TestPublishStateString(t *testing.T) {
	for s, want := range map[PublishState]string{Unknown: "unknown", Unpublished: "unpublished", Published: "published"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), want)
		}
	}
}

func TestEntryCostGrowsWithDocument(t *testing.T) {
	small := entryCost("k", Entry{Doc: map[string]any{"a": "b"}})
	nested := entryCost("k", Entry{Doc: map[string]any{"a": "b", "tags": []any{"x", "y", 1.0, true, nil}, "author": map[string]any{"name": strings.Repeat("n", 100)}}})
	if small <= recordBytes || nested <= small+100 {
		t.Fatalf("cost(small) = %d, cost(nested) = %d", small, nested)
	}
}
