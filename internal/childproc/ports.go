package childproc

import (
	"errors"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
)

// Ports handed out by FreePort come from below Linux's ephemeral range
// (32768 and up), so that no outgoing connection of this machine can take
// one between FreePort's check and the server's bind.
const (
	minPort = 20000
	maxPort = 32000
)

var (
	portsMu sync.Mutex
	given   = map[int]bool{} // never hand out a port twice
)

// FreePort returns a TCP port that is free on every interface and that it
// has not returned before.
func FreePort() (int, error) {
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 1000 {
		port := minPort + rand.IntN(maxPort-minPort)
		if given[port] {
			continue
		}
		l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
		if err != nil {
			continue
		}
		l.Close()
		given[port] = true
		return port, nil
	}
	return 0, errors.New("no free TCP port")
}

// Loopback is the host:port of port on 127.0.0.1.
func Loopback(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
