package provider_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The planned_action values of the ohayo pair.
const (
	plannedNone         = "none: roles already hold"
	plannedOhayo1To2    = "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)"
	plannedOhayo2To1    = "switchover ohayo_2 (2000025) -> ohayo_1 (2000022)"
	plannedActionAttr   = "planned_action"
	startWarningSummary = "Apply will start a switchover"
)

func plannedAction(want string) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New(plannedActionAttr), knownvalue.StringExact(want))
}

func stateAction(want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New(plannedActionAttr), knownvalue.StringExact(want))
}

// The plan says what apply will do: a create whose roles hold, a taint replacement (roles holding, then
// swapped in OCP), a real switchover, and, after each, a plan with no diff that keeps the last action.
func TestAccTenantSwitchover_plannedAction(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	holds := switchoverConfig(f, ohayo1, ohayo2, "")
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				// Created while the roles hold: nothing starts.
				Config: holds,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionCreate), plannedAction(plannedNone)}},
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedNone)},
				Check:             expectSwitchovers(f, 0),
			},
			{Config: holds, ConfigPlanChecks: empty, ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedNone)}},
			{
				// Replaced (tainted) while the roles hold: still nothing.
				Config: holds, Taint: []string{switchoverAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionReplace), plannedAction(plannedNone)}},
				Check: expectSwitchovers(f, 0),
			},
			{
				// The real switchover.
				Config: switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate), plannedAction(plannedOhayo1To2)}},
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedOhayo1To2)},
				Check:             resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), expectRole(f, ohayo2[1], ocpsim.RolePrimary)),
			},
			{
				// Nothing left to do: no diff, and the state keeps the last action applied.
				Config: switchoverConfig(f, ohayo2, ohayo1, ""), ConfigPlanChecks: empty,
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedOhayo1To2)},
				Check:             expectSwitchovers(f, 1),
			},
			{
				// Switched back in OCP, then tainted: the replacement switches over again.
				PreConfig: func() { switchInOCP(t, f, ohayo2, ohayo1) },
				Config:    switchoverConfig(f, ohayo2, ohayo1, ""), Taint: []string{switchoverAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionReplace), plannedAction(plannedOhayo1To2)}},
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedOhayo1To2)},
				Check:             resource.ComposeTestCheckFunc(expectSwitchovers(f, 3), expectRole(f, ohayo2[1], ocpsim.RolePrimary)),
			},
			{
				// Switched in OCP behind Terraform's back, no taint: an update that switches back.
				PreConfig: func() { switchInOCP(t, f, ohayo2, ohayo1) },
				Config:    switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate), plannedAction(plannedOhayo1To2)}},
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 5), expectRole(f, ohayo2[1], ocpsim.RolePrimary)),
			},
			{
				// A timeouts-only update: nothing starts, and the plan says so.
				Config: switchoverConfig(f, ohayo2, ohayo1, `  timeouts { update = "30m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate), plannedAction(plannedNone)}},
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedNone)},
				Check:             expectSwitchovers(f, 5),
			},
		},
	})
}

// An imported pair has no planned_action (no plan was applied), and that is no diff; a timeouts-only
// update then plans "none".
func TestAccTenantSwitchover_plannedActionAfterImport(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	cfg := switchoverConfig(f, ohayo1, ohayo2, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// Forget it without destroying (which would call no API anyway), to import it.
				Config: f.Config(`
removed {
  from = ocp_tenant_switchover.t
  lifecycle {
    destroy = false
  }
}
`),
			},
			{Config: cfg, ResourceName: switchoverAddr, ImportState: true, ImportStateId: ohayoID, ImportStatePersist: true},
			{
				Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New(plannedActionAttr), knownvalue.Null())},
			},
			{
				Config: switchoverConfig(f, ohayo1, ohayo2, `  timeouts { update = "30m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate), plannedAction(plannedNone)}},
				ConfigStateChecks: []statecheck.StateCheck{stateAction(plannedNone)},
				Check:             expectSwitchovers(f, 0),
			},
		},
	})
}

// The plan warns "Apply will start a switchover" only when apply starts one: not when the roles hold,
// and not when it waits for a switchover already running (that plan has its own warning).
func TestTenantSwitchover_startWarning(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	cfg := func(primary, standby [2]int64) map[string]any {
		return map[string]any{
			"primary": map[string]any{"cluster_id": primary[0], "tenant_id": primary[1]},
			"standby": map[string]any{"cluster_id": standby[0], "tenant_id": standby[1]},
		}
	}

	ds := p.PlanResourceCreate("ocp_tenant_switchover", cfg(ohayo2, ohayo1))
	w := ds.Warnings().String()
	if len(ds.Errors()) > 0 || !strings.Contains(w, startWarningSummary+": "+plannedOhayo1To2+": terraform apply") ||
		!strings.Contains(w, "Afterwards ohayo_2 (tenant 2000025 of cluster 3000010) is PRIMARY") || !strings.Contains(w, "OBE26107") {
		t.Fatalf("a switchover to start:\n%s", ds)
	}
	if ds := p.PlanResourceCreate("ocp_tenant_switchover", cfg(ohayo1, ohayo2)); len(ds) != 0 {
		t.Fatalf("roles that hold: want no diagnostics, got\n%s", ds)
	}
	switchInOCPHeld(t, f, ohayo1, ohayo2)
	ds = p.PlanResourceCreate("ocp_tenant_switchover", cfg(ohayo2, ohayo1))
	if w := ds.Warnings().String(); len(ds.Errors()) > 0 || strings.Contains(w, startWarningSummary) ||
		!strings.Contains(w, "A switchover of this pair is already running") {
		t.Fatalf("a switchover already running:\n%s", ds)
	}
	if c := f.Sim.Counters(); c.Switchovers != 1 {
		t.Fatalf("planning started switchovers: %+v", c)
	}
}

// switchInOCPHeld starts a switchover of the pair directly in OCP and holds it RUNNING.
func switchInOCPHeld(t *testing.T, f *acctest.Fixture, primary, standby [2]int64) {
	t.Helper()
	f.Sim.SetStepDuration(time.Hour)
	c, err := ocp.New(ocp.Config{URL: f.URL, Username: acctest.Username, Password: acctest.Password, PollInterval: acctest.PollInterval})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Switchover(t.Context(), primary[0], ocp.SwitchoverRequest{TenantID: primary[1], StandbyTenantID: standby[1]}); err != nil {
		t.Fatal(err)
	}
}
