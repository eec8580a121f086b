package hub

import "fmt"

// admit counts a new socket against the connection limits.
func (h *Hub) admit(user, addr string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return ErrClosed
	case h.cfg.MaxSockets > 0 && h.sockets >= h.cfg.MaxSockets:
		return fmt.Errorf("%w: %d sockets open", ErrLimit, h.sockets)
	case h.cfg.MaxSocketsPerUser > 0 && h.perUser[user] >= h.cfg.MaxSocketsPerUser:
		return fmt.Errorf("%w: %d sockets for this user", ErrLimit, h.perUser[user])
	case addr != "" && h.cfg.MaxSocketsPerAddr > 0 && h.perAddr[addr] >= h.cfg.MaxSocketsPerAddr:
		return fmt.Errorf("%w: %d sockets from this address", ErrLimit, h.perAddr[addr])
	}
	h.sockets++
	h.perUser[user]++
	if addr != "" {
		h.perAddr[addr]++
	}
	return nil
}

// release undoes admit.
func (h *Hub) release(user, addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sockets--
	if h.perUser[user]--; h.perUser[user] <= 0 {
		delete(h.perUser, user)
	}
	if addr != "" {
		if h.perAddr[addr]--; h.perAddr[addr] <= 0 {
			delete(h.perAddr, addr)
		}
	}
}
