package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Phases of a fanout run; an event's phase is the letter in its id.
const (
	phaseWarmup = 'w'
	phaseSpaced = 's'
	phaseBurst  = 'b'
	phaseProxy  = 'p' // the proxy benchmark's writes
)

// eventPayload is the size of a mutation event's JSON; ids are padded so
// that every target sends events of this size.
const eventPayload = 256

// postQuery is the live query every benchmark socket subscribes to.
const postQuery = `*[_type == "post"]`

// idMarker starts every benchmark document id as it appears in an event.
var idMarker = []byte(`"documentId":"bench-`)

// idLength pads ids so that the sidecar's mutation event for a 3-digit seq
// and its 16-hex-digit epoch is eventPayload bytes.
var idLength = eventPayload - len(mutationJSON(nil, "", 100, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "0123456789abcdef"))

// eventID names the document of event n of a phase, scheduled at at:
// bench-PHASE-N-UNIXNANO-xxx…, padded to idLength.
func eventID(phase byte, n int, at time.Time) string {
	id := fmt.Sprintf("bench-%c-%06d-%d-", phase, n, at.UnixNano())
	if pad := idLength - len(id); pad > 0 {
		id += strings.Repeat("x", pad)
	}
	return id
}

// parseEvent finds a benchmark document id in a message and returns its
// phase and scheduled time.
func parseEvent(msg []byte) (phase byte, at time.Time, ok bool) {
	i := bytes.Index(msg, idMarker)
	if i < 0 {
		return 0, time.Time{}, false
	}
	rest := msg[i+len(idMarker):]
	// PHASE-N-UNIXNANO-
	if len(rest) < 3 || rest[1] != '-' {
		return 0, time.Time{}, false
	}
	phase = rest[0]
	rest = rest[2:]
	j := bytes.IndexByte(rest, '-')
	if j < 0 {
		return 0, time.Time{}, false
	}
	rest = rest[j+1:]
	k := bytes.IndexByte(rest, '-')
	if k < 0 {
		return 0, time.Time{}, false
	}
	ns, err := strconv.ParseInt(string(rest[:k]), 10, 64)
	if err != nil {
		return 0, time.Time{}, false
	}
	return phase, time.Unix(0, ns), true
}

// mutationJSON appends the mutation event the sidecar sends for a created
// post, field for field; the baselines send the same bytes.
func mutationJSON(dst []byte, id string, seq uint64, ts time.Time, epoch string) []byte {
	dst = append(dst, `{"type":"mutation","documentId":"`...)
	dst = append(dst, id...)
	dst = append(dst, `","documentType":"post","operation":"create","ts":"`...)
	dst = ts.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	dst = append(dst, `","seq":`...)
	dst = strconv.AppendUint(dst, seq, 10)
	dst = append(dst, `,"epoch":"`...)
	dst = append(dst, epoch...)
	return append(dst, `"}`...)
}
