package dr

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The engine against the simulator and on hand-made answers, without Terraform.

// newSimClient serves the default simulator and returns a client of it that polls every 5ms.
func newSimClient(t *testing.T) (*ocpsim.Sim, *ocp.Client) {
	t.Helper()
	return newSimClientWith(t, ocpsim.Config{})
}

// newSimClientWith is newSimClient with a simulator configuration.
func newSimClientWith(t *testing.T, cfg ocpsim.Config) (*ocpsim.Sim, *ocp.Client) {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { srv.Close(); sim.Close() })
	return sim, newClientFor(t, srv.URL)
}

var (
	refOhayo1 = TenantRef{ClusterID: 3000009, TenantID: 2000022}
	refOhayo2 = TenantRef{ClusterID: 3000010, TenantID: 2000025}
)

// startHeld starts a switchover of primary → standby directly in OCP and holds it running.
func startHeld(t *testing.T, sim *ocpsim.Sim, c *ocp.Client, primary TenantRef, standbyID int64) *ocp.Task {
	t.Helper()
	sim.SetStepDuration(time.Hour)
	task, err := c.Switchover(context.Background(), primary.ClusterID, ocp.SwitchoverRequest{TenantID: primary.TenantID, StandbyTenantID: standbyID})
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func summaries(ps Problems) string {
	var b strings.Builder
	for _, p := range ps {
		sev := "error"
		if p.Severity == Warning {
			sev = "warning"
		}
		b.WriteString(sev + ": " + p.Summary + " | " + p.Target + " | " + p.Detail)
		if p.Err != nil {
			b.WriteString(" | " + p.Err.Error())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// errorsOf and warningsOf split problems by severity.
func errorsOf(ps Problems) Problems   { return bySeverity(ps, Error) }
func warningsOf(ps Problems) Problems { return bySeverity(ps, Warning) }

func bySeverity(ps Problems, s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// text is everything a problem says, for substring checks.
func text(p Problem) string {
	s := p.Summary + "\n" + p.Target + "\n" + p.Detail
	if p.Err != nil {
		s += "\n" + p.Err.Error()
	}
	return s
}

// countingReporter counts what an operation reports.
type countingReporter struct {
	progress, says, outages *int
	messages                []string
}

func (r *countingReporter) Say(m string) {
	r.messages = append(r.messages, m)
	if r.says != nil {
		*r.says++
	}
}

func (r *countingReporter) Progress(ocp.ProgressEvent) {
	if r.progress != nil {
		*r.progress++
	}
}

func (r *countingReporter) Unreachable(ocp.Unreachable) {
	if r.outages != nil {
		*r.outages++
	}
}
