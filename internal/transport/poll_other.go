//go:build !linux

package transport

// polled is the reading state of a polled socket. Without epoll no socket
// is polled: every socket is read by a goroutine of its own.
type polled struct{}

func pollable() bool           { return false }
func newPolled([]byte) *polled { return &polled{} }
func startPolling(*conn)       {}
func unpoll(*conn)             {}
