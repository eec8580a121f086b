package childproc

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"testing"
)

// listenEnv makes the test binary a server for the tests: it listens on the
// address the variable holds and answers every request with 200, or exits
// with the error of the listen.
const listenEnv = "CHILDPROC_TEST_LISTEN"

// workerEnv makes the test binary a worker: it answers each number on its
// input with the number doubled and, when its input ends, with the count
// of numbers it read.
const workerEnv = "CHILDPROC_TEST_WORKER"

func TestMain(m *testing.M) {
	if addr := os.Getenv(listenEnv); addr != "" {
		serve(addr)
		return
	}
	if os.Getenv(workerEnv) != "" {
		double()
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

func double() {
	in, out := json.NewDecoder(os.Stdin), json.NewEncoder(os.Stdout)
	count := 0
	for {
		var n int
		if err := in.Decode(&n); err != nil {
			_ = out.Encode(map[string]int{"count": count})
			return
		}
		count++
		_ = out.Encode(2 * n)
	}
}
