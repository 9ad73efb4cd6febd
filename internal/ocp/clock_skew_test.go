package ocp_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// TestAccessKeyClockSkew signs with a clock that is off from OCP's by a given amount, both ways, against
// the simulator, which enforces OCP's 15-minute limit on the Date header (OCP's AccessKey signature page): within
// it the request is served; beyond it OCP answers 401 and the error says why.
func TestAccessKeyClockSkew(t *testing.T) {
	t.Parallel()
	serverNow := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sim, err := ocpsim.New(ocpsim.Config{Now: func() time.Time { return serverNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		skew time.Duration
		ok   bool
	}{
		{0, true},
		{14 * time.Minute, true},
		{-14 * time.Minute, true},
		{16 * time.Minute, false},
		{-16 * time.Minute, false},
		{24 * time.Hour, false},
	} {
		t.Run(tc.skew.String(), func(t *testing.T) {
			t.Parallel()
			c, err := ocp.New(ocp.Config{
				URL: srv.URL, AccessKeyID: ocpsim.DefaultAccessKey, AccessKeySecret: ocpsim.DefaultSecretKey,
				Now: func() time.Time { return serverNow.Add(tc.skew) },
			})
			if err != nil {
				t.Fatal(err)
			}
			tenant, err := c.GetTenant(t.Context(), 3000009, 2000022)
			if tc.ok {
				if err != nil || tenant.ID != 2000022 {
					t.Fatalf("skew %s is within OCP's limit: %+v, %v", tc.skew, tenant, err)
				}
				return
			}
			if !ocp.IsUnauthorized(err) {
				t.Fatalf("skew %s: want 401, got %v", tc.skew, err)
			}
			for _, want := range []string{"HTTP 401", "away from the server clock", "the limit is 15m0s"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}
