package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  realtime-bench fanout -subscribers 10000 -events 200 [-target ours|centrifuge]
  realtime-bench memory -conns 15000 [-target ours|gobws|centrifuge]
  realtime-bench proxy -duration 20s
Run "realtime-bench MODE -h" for a mode's flags.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	raiseFileLimit()
	mode, args := os.Args[1], os.Args[2:]
	var err error
	switch mode {
	case "fanout":
		err = runFanout(args)
	case "memory":
		err = runMemory(args)
	case "proxy":
		err = runProxy(args)
	// The modes below are the processes the bench starts itself.
	case clientMode:
		err = runClient(args)
	case caddyMode:
		runCaddy(args)
	case gobwsMode:
		err = runGobws(args)
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "realtime-bench %s: %v\n", mode, err)
		os.Exit(1)
	}
}
