package childproc

import (
	"net"
	"net/http"
	"os"
	"testing"
)

// listenEnv makes the test binary a server for the tests: it listens on the
// address the variable holds and answers every request with 200, or exits
// with the error of the listen.
const listenEnv = "CHILDPROC_TEST_LISTEN"

func TestMain(m *testing.M) {
	if addr := os.Getenv(listenEnv); addr != "" {
		serve(addr)
		return
	}
	os.Exit(m.Run())
}

func serve(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	_ = http.Serve(l, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
}
