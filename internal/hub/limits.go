package hub

import "fmt"

// Limits bound what one socket may hold and send. Zero values take the
// defaults.
type Limits struct {
	// QueueMessages and QueueBytes bound the outbound queue (default 1024
	// messages, 1 MiB); overflowing it closes the socket with
	// CloseSlowConsumer.
	QueueMessages int
	QueueBytes    int
	// MaxSubscriptions and MaxPresence bound the subscriptions and the
	// documents a socket is present on (default 100 each).
	MaxSubscriptions int
	MaxPresence      int
	// MessageRate and MessageBurst limit the messages a socket may send
	// (default 50 per second, bursts of 100); more closes it with
	// CloseRateLimited.
	MessageRate  float64
	MessageBurst int
}

func (l *Limits) setDefaults() {
	if l.QueueMessages <= 0 {
		l.QueueMessages = 1024
	}
	if l.QueueBytes <= 0 {
		l.QueueBytes = 1 << 20
	}
	if l.MaxSubscriptions <= 0 {
		l.MaxSubscriptions = 100
	}
	if l.MaxPresence <= 0 {
		l.MaxPresence = 100
	}
	if l.MessageRate <= 0 {
		l.MessageRate = 50
	}
	if l.MessageBurst <= 0 {
		l.MessageBurst = 100
	}
}

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

// SetSocketLimits replaces the connection limits (0: the default, negative:
// unlimited). Sockets already open stay open.
func (h *Hub) SetSocketLimits(total, perUser, perAddr int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cfg.MaxSockets, h.cfg.MaxSocketsPerUser, h.cfg.MaxSocketsPerAddr = total, perUser, perAddr
	h.cfg.setSocketDefaults()
}
