package module

import (
	"context"
	"fmt"
	"time"

	"github.com/caddyserver/caddy/v2"
	"go.uber.org/zap"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/doccache"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
)

// sharedPool holds the process's one hub, document cache and observer.
// Every provisioned handler takes a reference; a reload provisions the new
// handlers before the old ones clean up, so the count never drops to zero
// and sockets, presence and history carry over.
var sharedPool = caddy.NewUsagePool()

const sharedKey = "cms_realtime"

// shutdownGrace bounds how long a stopping server waits for sockets to be
// sent their close frame.
const shutdownGrace = 3 * time.Second

type shared struct {
	hub      *hub.Hub
	cache    *doccache.Cache
	observer *observer
	stopExit chan struct{}
}

// watchExit closes every client as soon as the process starts exiting.
// Caddy stops its HTTP servers before it cleans modules up, and a server
// waits for its handlers: an event stream would hold the exit for the whole
// grace period if it waited for Destruct.
func (s *shared) watchExit() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stopExit:
			return
		case <-t.C:
			if caddy.Exiting() {
				s.hub.Close(hub.CloseGoingAway, "server shutting down")
				return
			}
		}
	}
}

func loadShared(cacheSize int64, hubConfig hub.Config, logger *zap.Logger) (*shared, error) {
	v, _, err := sharedPool.LoadOrNew(sharedKey, func() (caddy.Destructor, error) {
		cache, err := doccache.New(cacheSize)
		if err != nil {
			return nil, fmt.Errorf("cms_realtime: document cache: %w", err)
		}
		hubConfig.OnPanic = func(v any, stack []byte) {
			logger.Error("recovered a panic in the real-time hub; only the socket it served was closed",
				zap.Any("panic", v), zap.ByteString("stack", stack))
		}
		h := hub.New(hubConfig)
		sh := &shared{hub: h, cache: cache, observer: newObserver(h, logger), stopExit: make(chan struct{})}
		go sh.watchExit()
		return sh, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*shared), nil
}

// Destruct runs when the last handler is cleaned up (caddy stop): sockets
// close with 1001, pending observations finish, the cache is freed.
func (s *shared) Destruct() error {
	close(s.stopExit)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = s.hub.Shutdown(ctx, hub.CloseGoingAway, "server shutting down")
	s.observer.stop()
	s.cache.Close()
	return nil
}
