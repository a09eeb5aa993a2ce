package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// The Go floor is this program run again as a plain net/http server whose
// handler makes the same call to the simulator with a plain http.Client
// and copies the answer back: what any Go HTTP bridge costs at least, with
// neither Caddy nor SCIM. It runs in its own process so that its CPU is
// measured like the sidecar's.
const (
	goFloorEnv     = "SCIM_LOAD_GO_FLOOR"      // the simulator's base URL
	goFloorPortEnv = "SCIM_LOAD_GO_FLOOR_PORT" // the port to listen on, on 127.0.0.1
)

// serveGoFloor serves the Go floor until the process is killed; it returns
// only on failure.
func serveGoFloor(target, port string) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Header.Set("X-Api-Key", r.Header.Get("X-Api-Key"))
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
	return (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(l)
}

// startGoFloor runs this executable as the Go floor in front of simURL.
func startGoFloor(ctx context.Context, simURL, logPath string) (*sidecar, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("go floor: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &sidecar{base: "http://127.0.0.1:" + strconv.Itoa(port), logPath: logPath, exited: make(chan struct{})}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), goFloorEnv+"="+simURL, goFloorPortEnv+"="+strconv.Itoa(port))
	if err := s.start(ctx, cmd, port); err != nil {
		return nil, fmt.Errorf("go floor: %w", err)
	}
	return s, nil
}

// goFloorMain serves the Go floor when this process was started as one;
// it reports whether it was.
func goFloorMain() bool {
	target := os.Getenv(goFloorEnv)
	if target == "" {
		return false
	}
	err := serveGoFloor(target, os.Getenv(goFloorPortEnv))
	fmt.Fprintln(os.Stderr, "scim-load go floor:", err)
	os.Exit(1)
	return true
}
