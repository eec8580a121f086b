// Package childproc runs the servers that the project's tools start as child
// processes: the end-to-end tests start Caddy, json-server and real CMSs,
// and the soak and the benchmark start the sidecar under load.
//
// It exists so that these tools share one careful way of doing it rather
// than each carrying a copy that drifts. A Process runs in a process group
// of its own, so that stopping it also ends whatever it spawned (npm and
// node wrappers do), and dies with the process that started it. Its output
// is kept for the error that says why it failed. Readiness is polled until
// the server answers and given up as soon as the process exits. Ports come
// from below Linux's ephemeral range, and a server that lost its port to
// another process before binding it is started again on fresh ones. A
// Worker is a load generator driven over its stdin and stdout.
//
// Package proctest wraps it for tests.
package childproc
