package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.Getwd()
	if err == nil {
		err = run(ctx, dir, os.Args[1:], os.Stdout, os.Stderr)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "build-caddy:", err)
		os.Exit(1)
	}
}

// run is the command, working from dir.
func run(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("build-caddy", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/build-caddy [-o PATH] [-print]")
		fmt.Fprintln(stderr, "Builds Caddy with the pins in xcaddy.toml and this module from the checkout.")
		flags.PrintDefaults()
	}
	output := flags.String("o", defaultOutput, "write the binary to `PATH`")
	printOnly := flags.Bool("print", false, "print the equivalent xcaddy build command instead of building")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}

	root, err := findRepoRoot(dir)
	if err != nil {
		return err
	}
	d, err := loadDistribution(filepath.Join(root, "xcaddy.toml"))
	if err != nil {
		return err
	}
	mod, err := readGoMod(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	if err := d.checkAgainst(mod); err != nil {
		return err
	}

	if *printOnly {
		_, err := fmt.Fprintln(stdout, shellJoin(d.xcaddyArgs(root, dir, *output)))
		return err
	}
	if err := checkRootPackage(root, d.Module.Path); err != nil {
		return err
	}
	out := *output
	if !filepath.IsAbs(out) {
		out = filepath.Join(dir, out)
	}
	return d.builder(root).Build(ctx, out)
}
