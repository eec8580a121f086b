package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// writer makes writes through the sidecar to json-server: each successful
// one is exactly one event for the posts, so ok is the number of events
// every stayer must receive.
type writer struct {
	base   string // http://sidecar
	client *http.Client

	mu      sync.Mutex
	ok      int
	failed  int
	lastErr string
	created []string // ids of posts created and not yet deleted
	n       int
}

func newWriter(base string) *writer {
	return &writer{base: base, client: &http.Client{Timeout: 10 * time.Second}}
}

// run writes at rate per second until ctx ends.
func (w *writer) run(ctx context.Context, rate float64) {
	t := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.writeOnce()
		}
	}
}

// writeOnce makes the next write of the cycle: create a post, update a
// seed post, update the new post, delete the oldest created post.
func (w *writer) writeOnce() {
	w.mu.Lock()
	n := w.n
	w.n++
	w.mu.Unlock()
	step := n % 4
	var err error
	switch step {
	case 0:
		var id string
		id, err = w.create()
		if err == nil {
			w.mu.Lock()
			w.created = append(w.created, id)
			w.mu.Unlock()
		}
	case 1:
		err = w.do(http.MethodPatch, "/posts/"+strconv.Itoa(1+n%seedPosts), map[string]any{"title": "Edit " + strconv.Itoa(n)}, http.StatusOK, nil)
	case 2, 3:
		w.mu.Lock()
		var id string
		if len(w.created) > 0 {
			id = w.created[len(w.created)-1]
			if step == 3 {
				w.created = w.created[:len(w.created)-1]
			}
		}
		w.mu.Unlock()
		if id == "" {
			return // the create failed: nothing to update or delete
		}
		if step == 2 {
			err = w.do(http.MethodPatch, "/posts/"+id, map[string]any{"status": "draft"}, http.StatusOK, nil)
		} else {
			err = w.do(http.MethodDelete, "/posts/"+id, nil, http.StatusOK, nil)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.failed++
		w.lastErr = err.Error()
		return
	}
	w.ok++
}

func (w *writer) create() (string, error) {
	var created struct {
		ID json.Number `json:"id"`
	}
	err := w.do(http.MethodPost, "/posts", map[string]any{"title": "Soak", "status": "published"}, http.StatusCreated, &created)
	if err == nil && created.ID == "" {
		err = fmt.Errorf("POST /posts: no id in the response")
	}
	return created.ID.String(), err
}

func (w *writer) do(method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s, want %d", method, path, resp.Status, want)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// counts returns the successful and failed writes so far.
func (w *writer) counts() (ok, failed int, lastErr string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ok, w.failed, w.lastErr
}
