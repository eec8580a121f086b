package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// ensureNodeModules runs `npm ci` at the repository root when json-server is
// not installed yet, so that the demo works on a fresh checkout.
func ensureNodeModules(ctx context.Context, root string) error {
	if _, err := os.Stat(filepath.Join(root, "node_modules", "json-server", "package.json")); err == nil {
		return nil
	}
	fmt.Println("installing json-server (npm ci, first run only)...")
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = root
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w (the demo needs Node.js and npm)", root, err)
	}
	return nil
}

// jsonServer is a running json-server.
type jsonServer struct {
	addr   string // host:port
	cmd    *exec.Cmd
	exited chan error // receives the exit status once
}

// startJSONServer serves a copy of examples/demo/db.json, kept in tmp, on a
// free loopback port and waits until it answers.
func startJSONServer(ctx context.Context, root, tmp string) (*jsonServer, error) {
	db := filepath.Join(tmp, "db.json")
	if err := copyFile(db, demoPath(root, "db.json")); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &jsonServer{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), exited: make(chan error, 1)}
	s.cmd = exec.Command("node", filepath.Join(root, "node_modules", "json-server", "lib", "cli", "bin.js"), // 0.17; .bin/json-server may be the 1.x alias
		"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--quiet", db)
	s.cmd.Dir = tmp // json-server serves ./public if there is one; there is none
	s.cmd.Stdout = os.Stdout
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start json-server: %w", err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	if err := s.waitReady(ctx, 30*time.Second); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *jsonServer) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get("http://" + s.addr + "/db")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("json-server not ready after %v: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-s.exited:
			s.exited <- err
			return fmt.Errorf("json-server exited: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop ends json-server and waits for it.
func (s *jsonServer) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-s.exited:
		s.exited <- err
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
