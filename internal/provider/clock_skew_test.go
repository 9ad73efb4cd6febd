package provider

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// TestClockSkewDiagnostic: when OCP refuses an AccessKey signature because this machine's clock is more
// than 15 minutes off (the simulator enforces it as OCP does; internal/ocp TestAccessKeyClockSkew covers
// the boundary), the operator's diagnostic carries OCP's reason and points at the clock.
func TestClockSkewDiagnostic(t *testing.T) {
	t.Parallel()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := ocp.New(ocp.Config{URL: srv.URL, AccessKeyID: ocpsim.DefaultAccessKey, AccessKeySecret: ocpsim.DefaultSecretKey,
		Now: func() time.Time { return time.Now().Add(16 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetTenant(t.Context(), 3000009, 2000022)
	d := errorDiagnostic("Error reading tenant", tenantTarget(3000009, 2000022), err)
	for _, want := range []string{"HTTP 401", "away from the server clock", "OCP trace id", "clock must be within 15 minutes of OCP's"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("diagnostic does not say %q:\n%s", want, d.Detail())
		}
	}
}
