package hub

import (
	"testing"
	"time"
)

// TestTokenExpiryClosesEachClientOnTime: expiries far apart and out of
// order close each client at its own time with CloseUnauthorized; a
// refreshed token and a departed client are not closed.
func TestTokenExpiryClosesEachClientOnTime(t *testing.T) {
	h := New(Config{})
	start := time.Now()
	connectExpiring := func(after time.Duration) *Client {
		c, err := h.Connect(ClientOptions{Dataset: "d", User: connectUser(), Expires: start.Add(after),
			Reauth: func(string) (time.Time, error) { return time.Time{}, nil }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Disconnect)
		return c
	}
	late := connectExpiring(300 * time.Millisecond)
	early := connectExpiring(100 * time.Millisecond)
	refreshed := connectExpiring(50 * time.Millisecond)
	departed := connectExpiring(50 * time.Millisecond)
	send(refreshed, `{"type":"auth","token":"t"}`) // no expiry any more
	departed.Disconnect()

	for _, tc := range []struct {
		c     *Client
		after time.Duration
	}{{early, 100 * time.Millisecond}, {late, 300 * time.Millisecond}} {
		select {
		case <-tc.c.Done():
		case <-time.After(2 * time.Second):
			t.Fatalf("client expiring after %v was not closed", tc.after)
		}
		if d := time.Since(start); d < tc.after {
			t.Fatalf("client expiring after %v closed after %v", tc.after, d)
		}
		if code, _ := tc.c.CloseCode(); code != CloseUnauthorized {
			t.Fatalf("closed with %d, want %d", code, CloseUnauthorized)
		}
	}
	if code, _ := departed.CloseCode(); code != CloseGoingAway {
		t.Fatalf("departed client closed with %d", code)
	}
	select {
	case <-refreshed.Done():
		t.Fatal("a refreshed client was closed")
	default:
	}
	h.expiries.mu.Lock()
	defer h.expiries.mu.Unlock()
	if n := len(h.expiries.due); n != 0 {
		t.Fatalf("%d expiries left behind", n)
	}
}
