// Package proctest is childproc for tests: the child process ends with the
// test, its output is logged when the test failed, and a data race the
// child reports fails the test.
//
// It exists because the end-to-end test packages (e2e and e2e/cms) each
// need the same few lines around childproc, and the race check in
// particular must not be forgotten by one of them: a server built with
// -race reports its races on stderr and still exits normally.
package proctest
