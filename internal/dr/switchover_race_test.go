package dr

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// Two applies of the same pair race: the other one starts the switchover while this one reads the two
// tenants (one NORMAL, one MODIFYING: busy, it seems), or just after (both NORMAL), so that this one's
// precheck blocks on MODIFYING tenants, or OCP refuses its start as busy. Either way this one must wait for the other's task, not fail and never start a second one. The
// race is made deterministic by starting the rival switchover from inside the simulator's handler chain,
// right before the request named by route reaches it.
func TestSwitchoverRaceWithAnotherApply(t *testing.T) {
	for _, route := range []string{"tenants/2000022", "switchoverPreCheck", "switchover"} {
		t.Run("rival starts before "+route, func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			var (
				once  sync.Once
				rival *ocp.Task
			)
			// the rival client talks to the simulator directly, not through the interceptor
			direct := httptest.NewServer(sim)
			rivalClient := newClientFor(t, direct.URL)
			release := &taskReadRelease{sim: sim}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/"+route) {
					once.Do(func() {
						rival = startHeld(t, sim, rivalClient, refOhayo1, refOhayo2.TenantID)
						if route == "switchover" {
							release.arm() // the apply's start: its rival is held until the apply read it
						}
					})
				}
				sim.ServeHTTP(w, r)
				release.served(r)
			}))
			t.Cleanup(func() { srv.Close(); direct.Close(); sim.Close() })
			c := newClientFor(t, srv.URL)
			ctx := context.Background()

			// Desired: ohayo_2 PRIMARY. Plan first when the rival comes before the precheck or between the
			// reads of the two tenants (ohayo_2 read NORMAL, then ohayo_1 MODIFYING).
			if route != "switchover" {
				plan, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true})
				if ps.HasError() || plan.Running == nil || plan.Running.ID != rival.ID {
					t.Fatalf("plan did not attach to the rival's task %d:\n%s", rival.ID, summaries(ps))
				}
			}
			// The rival's task (started during the plan) finishes once this apply has read it.
			if route != "switchover" {
				release.arm()
			}
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{})
			if route == "switchover" {
				if ps.HasError() || !out.Attached || out.Started || out.Task == nil || out.Task.ID != rival.ID {
					t.Fatalf("apply did not attach to the rival's task %d: %+v\n%s", rival.ID, out, summaries(ps))
				}
			} else if ps.HasError() {
				t.Fatalf("apply after the rival: %s", summaries(ps))
			}
			if n := sim.Counters().Switchovers; n != 1 {
				t.Fatalf("%d switchovers started, want 1", n)
			}
			if p, _ := sim.Tenant(refOhayo2.TenantID); p.TenantRole != ocpsim.RolePrimary {
				t.Fatalf("ohayo_2 is %s after the switchover", p.TenantRole)
			}
		})
	}
}

func newClientFor(t *testing.T, url string) *ocp.Client {
	t.Helper()
	c, err := ocp.New(ocp.Config{URL: url, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
