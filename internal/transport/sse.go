package transport

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/hub"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// ServeSSE streams client's messages as Server-Sent Events, the fallback for
// networks that block WebSockets. Each message is one event whose data is
// the same JSON a socket receives; mutation events carry `id: EPOCH:SEQ`, so
// that an EventSource reconnecting with Last-Event-ID resumes where it left
// off. A comment line is sent every PingInterval to keep proxies from
// closing an idle stream. When the hub closes the client, a final
// {"type":"close","code":N,"reason":…} event says why. ServeSSE blocks
// until ctx is done, the hub closes the client, or a write fails; the caller
// disconnects the client afterwards.
func ServeSSE(ctx context.Context, w http.ResponseWriter, client *hub.Client, opts Options) {
	opts.setDefaults()
	rc := http.NewResponseController(w)
	ticker := time.NewTicker(opts.PingInterval)
	defer ticker.Stop()
	var (
		batch [][]byte
		buf   []byte
	)
	flush := func() bool {
		_ = rc.SetWriteDeadline(time.Now().Add(opts.WriteTimeout))
		if _, err := w.Write(buf); err != nil {
			return false
		}
		buf = buf[:0]
		return rc.Flush() == nil
	}
	drain := func() { // the queued messages, as events, into buf
		batch = client.Drain(batch[:0])
		for _, f := range batch {
			buf = appendSSE(buf, framePayload(f))
		}
		clear(batch)
	}
	buf = append(buf, ": connected\n\n"...)
	if !flush() {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			buf = append(buf, ": ping\n\n"...)
			if !flush() {
				return
			}
		case <-client.Ready():
			drain()
			if !flush() {
				return
			}
		case <-client.Done():
			drain()
			code, reason := client.CloseCode()
			buf = append(buf, "data: "...)
			buf = protocol.AppendClose(buf, code, reason)
			buf = append(buf, "\n\n"...)
			flush()
			return
		}
	}
}

// framePayload returns the payload of an unmasked server frame.
func framePayload(f []byte) []byte {
	if len(f) < 2 {
		return nil
	}
	switch n := f[1] & 0x7f; n {
	case 126:
		return f[4:]
	case 127:
		return f[10:]
	default:
		return f[2:]
	}
}

var (
	mutationPrefix = []byte(`{"type":"mutation"`)
	seqField       = []byte(`,"seq":`)
	epochField     = []byte(`,"epoch":"`)
)

// appendSSE appends one event. Payloads are single-line JSON, so one data
// line suffices.
func appendSSE(dst, payload []byte) []byte {
	if bytes.HasPrefix(payload, mutationPrefix) {
		if id, ok := eventID(payload); ok {
			dst = append(dst, "id: "...)
			dst = append(dst, id...)
			dst = append(dst, '\n')
		}
	}
	dst = append(dst, "data: "...)
	dst = append(dst, payload...)
	return append(dst, "\n\n"...)
}

// eventID extracts EPOCH:SEQ from an encoded event.
func eventID(payload []byte) ([]byte, bool) {
	i := bytes.LastIndex(payload, seqField)
	j := bytes.LastIndex(payload, epochField)
	if i < 0 || j < i {
		return nil, false
	}
	seq := payload[i+len(seqField) : j]
	rest := payload[j+len(epochField):]
	k := bytes.IndexByte(rest, '"')
	if k < 0 {
		return nil, false
	}
	id := make([]byte, 0, k+1+len(seq))
	id = append(id, rest[:k]...)
	id = append(id, ':')
	return append(id, seq...), true
}

// ParseEventID splits a Last-Event-ID of the form EPOCH:SEQ.
func ParseEventID(id string) (epoch string, seq uint64, ok bool) {
	i := bytes.LastIndexByte([]byte(id), ':')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.ParseUint(id[i+1:], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return id[:i], n, true
}
