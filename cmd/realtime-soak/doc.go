// Command realtime-soak is the long-running reliability check of the
// sidecar: it is not part of the test suite and runs for minutes.
//
//	go run ./cmd/realtime-soak -duration 10m -sockets 3000
//
// It builds the real sidecar (go build ./cmd/caddy), starts it in front of
// json-server 0.17 (node_modules/json-server; run `npm ci` at the repository
// root first) and, for -duration, churns -sockets sockets in client
// subprocesses spread over 127.0.x.y source addresses: each socket
// connects (its token in the query, an Authorization header or a
// subprotocol), subscribes, joins and leaves presence, and disconnects
// (with a close frame or by cutting the connection), then connects again.
// Meanwhile writes flow through the proxy to json-server, and -stayers
// sockets stay connected the whole time: each must receive every event once,
// checked by seq.
//
// The server's goroutines (from Caddy's admin endpoint,
// /debug/pprof/goroutine?debug=1) and RSS (from /proc) are sampled at the
// baseline, during the churn and after every churner has left. The last line
// on stdout is
//
//	soak: duration=… sockets=… connects=… events=… lost=0 dup=0 goroutines_base=… goroutines_end=… rss_base_mib=… rss_end_mib=…
//
// and the command exits non-zero when an event was lost or duplicated, or
// the goroutines or RSS did not come back near the baseline (-goroutine-slack
// and -rss-slack say how near).
package main
