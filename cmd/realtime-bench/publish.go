package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// poster produces events: it POSTs a document to a server's postURL (for
// the sidecar, through the proxy to the upstream) and expects 201.
type poster struct {
	client *http.Client
	url    string
}

func newPoster(url string) *poster {
	return &poster{
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		url:    url,
	}
}

func (p *poster) post(id string) error {
	body := `{"id":` + strconv.Quote(id) + `,"title":"realtime-bench"}`
	resp, err := p.client.Post(p.url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: %s", p.url, resp.Status)
	}
	return nil
}
