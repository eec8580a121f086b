// Command cms-realtime-demo runs the whole product on one machine: json-server
// as the CMS, and Caddy, in this process, with the cms_realtime sidecar in
// front of it and a small web page that shows presence and live updates.
//
//	go run ./cmd/cms-realtime-demo            # then open http://localhost:8080
//	go run ./cmd/cms-realtime-demo -listen 127.0.0.1:9000
//
// It exists so that trying the project takes one command: on the first run it
// installs json-server with `npm ci`, copies examples/demo/db.json to a
// temporary file so the checkout stays clean, issues demo tokens signed with a
// random secret (GET /demo/token?user=alice), and loads
// examples/demo/Caddyfile, whose {$DEMO_*} placeholders it fills in.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("cms-realtime-demo: ")
	listen := flag.String("listen", ":8080", "`address` the demo site listens on")
	dir := flag.String("dir", "", "repository `checkout` holding examples/demo (default: found from the working directory)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *listen, *dir); err != nil {
		log.Fatal(err)
	}
}

// run starts the demo and keeps it up until ctx ends.
func run(ctx context.Context, listen, dir string) error {
	root, err := findRepoRoot(dir)
	if err != nil {
		return err
	}
	if err := ensureNodeModules(ctx, root); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "cms-realtime-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	cms, err := startJSONServer(ctx, root, tmp)
	if err != nil {
		return err
	}
	defer cms.stop()

	secret, err := newSecret()
	if err != nil {
		return err
	}
	tokens, err := serveTokens(secret)
	if err != nil {
		return err
	}
	defer tokens.Close()

	site := siteParams{
		Listen:        listen,
		SiteRoot:      demoPath(root, "site"),
		CMSUpstream:   cms.addr,
		TokenUpstream: tokens.Addr,
		JWTSecret:     string(secret),
	}
	if err := startCaddy(demoPath(root, "Caddyfile"), site); err != nil {
		return err
	}
	defer stopCaddy()

	url := siteURL(listen)
	fmt.Printf("\ncaddy-cms-realtime demo running at %s\n\n", url)
	for _, u := range demoUsers {
		fmt.Printf("  %-6s %s?user=%s\n", u.ID, url, u.ID)
	}
	fmt.Printf("\nOpen two of them side by side, then create, edit and publish posts. Ctrl-C stops.\n")

	select {
	case <-ctx.Done():
		fmt.Println("\nstopping")
		return nil
	case err := <-cms.exited:
		return fmt.Errorf("json-server stopped: %v", err)
	}
}
