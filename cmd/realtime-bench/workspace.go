package main

import "os"

// workspace is what every mode measures in: a scratch directory for the
// server's files and the upstream CMS it fronts.
type workspace struct {
	dir string
	up  *upstream
}

func openWorkspace() (*workspace, error) {
	dir, err := os.MkdirTemp("", "realtime-bench-")
	if err != nil {
		return nil, err
	}
	up, err := startUpstream()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &workspace{dir: dir, up: up}, nil
}

func (w *workspace) close() {
	w.up.close()
	os.RemoveAll(w.dir)
}
