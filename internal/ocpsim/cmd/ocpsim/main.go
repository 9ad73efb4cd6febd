// Command ocpsim serves the OCP simulator on loopback, for demos and for scripts that need a live OCP.
//
//	ocpsim -listen 127.0.0.1:0 -step 400ms -url-file /tmp/ocpsim.url
//
// It prints the base URL and the credentials, writes the URL to -url-file once listening (so a script
// can wait for the file), and shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ocpsim:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback by default)")
	scenario := flag.String("scenario", "", "scenario JSON file (default: the embedded default world)")
	step := flag.Duration("step", 400*time.Millisecond, "how long each subtask runs")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	logLevel := flag.String("log-level", "info", "log level: trace, debug, info, warn, error")
	flag.Parse()

	level := hclog.LevelFromString(*logLevel)
	if level == hclog.NoLevel {
		return fmt.Errorf("unknown -log-level %q", *logLevel)
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "ocpsim", Level: level, Output: os.Stderr})

	cfg := ocpsim.Config{StepDuration: *step, Logger: logger}
	if *scenario != "" {
		sc, err := ocpsim.LoadScenario(*scenario)
		if err != nil {
			return err
		}
		cfg.Scenario = sc
	}
	sim, err := ocpsim.New(cfg)
	if err != nil {
		return err
	}
	defer sim.Close()

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", *listen)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn("listening on a non-loopback address: the simulator accepts well-known credentials", "addr", tcp.String())
	}
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := writeAtomically(*urlFile, url+"\n"); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Printf("ocpsim listening on %s\n", url)
	fmt.Printf("  basic auth: %s / %s\n", ocpsim.DefaultUser, ocpsim.DefaultPassword)
	fmt.Printf("  access key: %s / %s\n", ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey)

	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writeAtomically writes content via a temporary file and a rename, so a reader never sees half a URL.
func writeAtomically(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ocpsim-url-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
