package main

import (
	"bytes"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// -h lists the flags and the default world, so a newcomer sees which ids the docs use.
func TestHelpListsTheDefaultWorld(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	fs, _ := newFlags(&out)
	if err := fs.Parse([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Parse(-h) = %v", err)
	}
	help := out.String()
	for _, want := range []string{"-shapes", "-omit-tenant-dr-fields", "-delay-threshold", "-busy-delay"} {
		if !strings.Contains(help, want) {
			t.Errorf("help does not mention %s", want)
		}
	}
	for _, line := range []string{
		`3000012\s+OB_DC2\s+STANDBY\s+standby of 3000011\s+obproxy_dc`,
		`2000102\s+orders_s\s+STANDBY\s+standby of 2000101, 120 ms\s+3000014 OB_WEST`,
		`2000131\s+batch_p\s+PRIMARY\s+DOWN \(its standbys can be failed over\)\s+3000013 OB_EAST`,
		`2000122\s+nomatch_s\s+STANDBY\s+standby of 2000121, 900 ms, STANDBY LOG NOT MATCH`,
	} {
		if !regexp.MustCompile(line).MatchString(help) {
			t.Errorf("help lacks a line matching %q:\n%s", line, help)
		}
	}
	if n := strings.Count(help, "\n  20001") + strings.Count(help, "\n  20000"); n != 12 {
		t.Errorf("help lists %d tenants, want 12", n)
	}
}

func TestFlagsMakeTheConfig(t *testing.T) {
	t.Parallel()
	fs, o := newFlags(&bytes.Buffer{})
	if err := fs.Parse([]string{"-shapes", "assumed", "-omit-tenant-dr-fields", "-delay-threshold", "5s", "-busy-delay", "250ms"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := o.config(nil)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	st := sim.Settings()
	if st.Shapes != ocpsim.ShapesAssumed || !st.OmitTenantDRFields || st.DelayThresholdMillis != 5000 || st.BusyDelay != 250*time.Millisecond {
		t.Errorf("settings = %+v", st)
	}
	var banner bytes.Buffer
	writeBanner(&banner, "http://127.0.0.1:1", st, cfg.Scenario)
	for _, want := range []string{"http://127.0.0.1:1", "admin / admin-Passw0rd", "shapes: assumed", "tenant DR fields: omitted", "5000 ms", "busy delay: 250ms", "batch_p"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}

	for _, args := range [][]string{{"-delay-threshold", "-1s"}, {"-busy-delay", "-1ms"}, {"-delay-threshold", "10us"}, {"-scenario", "/nonexistent.json"}} {
		fs, o := newFlags(&bytes.Buffer{})
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if _, err := o.config(nil); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
