package transport

import "time"

// Options tune one connection. Zero values take the documented defaults.
type Options struct {
	// MaxMessage is the largest frame or reassembled message accepted;
	// larger closes the socket with 1009. Default 64 KiB.
	MaxMessage int64
	// PingInterval is how often the server pings (default 25 s);
	// PongTimeout how long it waits past that for any frame before it
	// closes the socket (default 10 s).
	PingInterval time.Duration
	PongTimeout  time.Duration
	// WriteTimeout bounds one batched write (default 10 s).
	WriteTimeout time.Duration
}

func (o *Options) setDefaults() {
	if o.MaxMessage <= 0 {
		o.MaxMessage = 64 << 10
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 25 * time.Second
	}
	if o.PongTimeout <= 0 {
		o.PongTimeout = 10 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
}
