package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
)

// upstream is the minimal fast CMS the proxy fronts. A POST to /post or
// /posts with {"id":…} is answered 201 with the document, typed post; any
// GET is answered with a small post.
type upstream struct {
	srv  *http.Server
	addr string
}

func startUpstream() (*upstream, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	u := &upstream{addr: ln.Addr().String()}
	u.srv = &http.Server{Handler: http.HandlerFunc(serveUpstream)}
	go func() { _ = u.srv.Serve(ln) }()
	return u, nil
}

func (u *upstream) close() { _ = u.srv.Close() }

var getBody = []byte(`{"id":"1","_type":"post","title":"A post","status":"published","body":"Lorem ipsum dolor sit amet, consectetur adipiscing elit."}`)

func serveUpstream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodGet {
		_, _ = w.Write(getBody)
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/post") {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var doc struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil || doc.ID == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	out, _ := json.Marshal(map[string]string{"id": doc.ID, "_type": "post", "title": doc.Title})
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(out)
}
