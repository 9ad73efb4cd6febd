// Command ocpsim serves the OCP simulator on loopback, for demos and for scripts that need a live OCP.
//
//	ocpsim -listen 127.0.0.1:0 -step 400ms -url-file /tmp/ocpsim.url
//
// It prints the base URL, the credentials, the switches in force and the world's clusters and tenants,
// writes the URL to -url-file once listening (so a script can wait for the file), and shuts down
// cleanly on SIGINT or SIGTERM. ocpsim -h lists the flags and the default world.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "ocpsim:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	listen, scenario, urlFile, logLevel, shapes string
	step, delayThreshold, busyDelay             time.Duration
	omitTenantDRFields                          bool
}

// newFlags declares the flags; -h prints them and the default world on out.
func newFlags(out io.Writer) (*flag.FlagSet, *options) {
	o := &options{}
	fs := flag.NewFlagSet("ocpsim", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on (loopback by default)")
	fs.StringVar(&o.scenario, "scenario", "", "scenario JSON file (default: the embedded default world)")
	fs.DurationVar(&o.step, "step", 400*time.Millisecond, "how long each subtask runs")
	fs.StringVar(&o.urlFile, "url-file", "", "write the base URL to this file once listening")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: trace, debug, info, warn, error")
	fs.StringVar(&o.shapes, "shapes", "", `wire shapes: "documented" (OCP's API reference) or "assumed" (default: the scenario's, else documented)`)
	fs.BoolVar(&o.omitTenantDRFields, "omit-tenant-dr-fields", false, "serve tenant details without the DR fields OCP does not document (tenantRole, primaryTenantId, syncStatus, logSyncDelayMillis, syncScn)")
	fs.DurationVar(&o.delayThreshold, "delay-threshold", 0, "switchover log delay limit, OCP's ocp.standby.tenant.delay.threshold (default: the scenario's, else 10s)")
	fs.DurationVar(&o.busyDelay, "busy-delay", 0, "how long after a task starts its tenants turn MODIFYING (default: the scenario's, else at once)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: ocpsim [flags]\n\nServes a simulated OCP API v2 on loopback. Flags:\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(out, "\nThe default world (-scenario replaces it):\n\n")
		writeWorld(out, ocpsim.DefaultScenario())
	}
	return fs, o
}

// config turns the flags into the simulator's Config.
func (o *options) config(logger hclog.Logger) (ocpsim.Config, error) {
	cfg := ocpsim.Config{
		StepDuration: o.step, Logger: logger, Shapes: ocpsim.Shapes(o.shapes),
		OmitTenantDRFields: o.omitTenantDRFields, BusyDelay: o.busyDelay,
		DelayThresholdMillis: o.delayThreshold.Milliseconds(),
	}
	if o.delayThreshold < 0 || o.busyDelay < 0 {
		return cfg, errors.New("-delay-threshold and -busy-delay must not be negative")
	}
	if o.delayThreshold > 0 && cfg.DelayThresholdMillis == 0 {
		return cfg, fmt.Errorf("-delay-threshold %v: below a millisecond", o.delayThreshold)
	}
	cfg.Scenario = ocpsim.DefaultScenario()
	if o.scenario != "" {
		sc, err := ocpsim.LoadScenario(o.scenario)
		if err != nil {
			return cfg, err
		}
		cfg.Scenario = sc
	}
	return cfg, nil
}

func run(args []string) error {
	fs, o := newFlags(os.Stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	level := hclog.LevelFromString(o.logLevel)
	if level == hclog.NoLevel {
		return fmt.Errorf("unknown -log-level %q", o.logLevel)
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "ocpsim", Level: level, Output: os.Stderr})
	cfg, err := o.config(logger)
	if err != nil {
		return err
	}
	sim, err := ocpsim.New(cfg)
	if err != nil {
		return err
	}
	defer sim.Close()

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", o.listen)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn("listening on a non-loopback address: the simulator accepts well-known credentials", "addr", tcp.String())
	}
	url := "http://" + ln.Addr().String()
	if o.urlFile != "" {
		if err := writeAtomically(o.urlFile, url+"\n"); err != nil {
			ln.Close()
			return err
		}
	}
	writeBanner(os.Stdout, url, sim.Settings(), cfg.Scenario)

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

// writeBanner says where the simulator listens, how to log in, the switches in force and the world.
func writeBanner(out io.Writer, url string, st ocpsim.Settings, sc *ocpsim.Scenario) {
	fmt.Fprintf(out, "ocpsim listening on %s\n", url)
	fmt.Fprintf(out, "  basic auth: %s / %s\n", ocpsim.DefaultUser, ocpsim.DefaultPassword)
	fmt.Fprintf(out, "  access key: %s / %s\n", ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey)
	fmt.Fprintf(out, "  shapes: %s; tenant DR fields: %s; switchover delay threshold: %d ms; busy delay: %v\n\n",
		st.Shapes, map[bool]string{false: "served", true: "omitted"}[st.OmitTenantDRFields], st.DelayThresholdMillis, st.BusyDelay)
	writeWorld(out, sc)
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
