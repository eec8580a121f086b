package infer

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentObserve runs writes, reads and bodiless deletes of the same documents
// from several goroutines while readers walk every reported document, as the hub does:
// under -race this proves cached documents are never modified once shared.
func TestConcurrentObserve(t *testing.T) {
	e := newEngine(t, Config{})
	changes := make(chan Change, 64)
	var readers sync.WaitGroup
	readers.Go(func() {
		for c := range changes {
			if c.Doc["_id"] != c.ID {
				t.Errorf("Doc._id = %v, ID = %q", c.Doc["_id"], c.ID)
			}
			if hasNumber(c.Doc) || hasNumber(c.Prev) {
				t.Errorf("document keeps a json.Number: %#v", c.Doc)
			}
		}
	})
	var writers sync.WaitGroup
	for g := range 4 {
		writers.Go(func() {
			for i := range 300 {
				id := fmt.Sprint(i % 5)
				path := "/posts/" + id
				var r Response
				switch (g + i) % 4 {
				case 0:
					r = res("GET", path, 200, fmt.Sprintf(`{"id":%s,"status":"draft","n":%d}`, id, i))
				case 1:
					r = res("PATCH", path, 200, fmt.Sprintf(`{"id":%s,"status":"published","n":%d}`, id, i))
				case 2:
					r = res("PATCH", path, 204, "")
				default:
					r = res("DELETE", path, 204, "")
				}
				for _, c := range e.Observe(dataset, r) {
					changes <- c
				}
			}
		})
	}
	writers.Wait()
	close(changes)
	readers.Wait()
}
