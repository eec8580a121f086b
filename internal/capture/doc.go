// Package capture observes HTTP responses on their way to the client without
// changing, delaying or buffering them: a Recorder passes every byte through
// first and keeps a bounded copy of the bodies worth inferring from (2xx
// JSON), and Decode undoes a Content-Encoding on that copy for inference
// only.
//
// It exists because the proxy path is sacred: whatever the real-time side
// does with the copy happens after the client has its bytes, and a failure
// there never reaches the response.
package capture
