// Command realtime-bench measures the sidecar side by side with baselines
// run in the same invocation, on loopback, with the load in separate client
// processes:
//
//	realtime-bench fanout -subscribers 10000 -events 200 [-target ours|centrifuge]
//	realtime-bench memory -conns 15000 [-target ours|gobws|centrifuge]
//	realtime-bench proxy -duration 20s
//
// fanout subscribes N authenticated sockets to *[_type == "post"] and
// produces events by POSTing documents through the proxy: a spaced phase
// offering a fixed rate of deliveries, then a burst of writes back to back;
// then the same clients run against a raw gobwas/ws broadcast loop. memory
// holds N idle sockets (authenticated, subscribed, present on a document)
// and reports the server's RSS growth per socket. proxy compares plain
// reverse_proxy with cms_realtime + reverse_proxy in one Caddy process.
//
// Every mode prints progress on stderr and ends with exactly one
// machine-readable line on stdout (docs/PERFORMANCE.md describes them). The
// command re-executes itself as the Caddy server (the project's handler
// built in), as the raw gobwas/ws server and as client processes; the
// centrifuge baseline is built from the nested module in centrifuge-target.
package main
