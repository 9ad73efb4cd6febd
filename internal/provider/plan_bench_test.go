package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// BenchmarkPlanSwitchover sends the provider, without Terraform, the RPCs of a `terraform plan` that
// creates 200 ocp_tenant_switchover pairs each needing a switchover (the roles declared are the reverse
// of OCP's, so every plan reads both tenants and runs the precheck): per pair, ValidateResourceConfig
// twice (Terraform's validate walk and again before planning) and PlanResourceChange once. One op is
// the whole plan of 200 pairs. The simulator answers in-process, so its handlers' CPU is included; a CPU
// profile (-cpuprofile) separates the two.
//
//	go test ./internal/provider -run '^$' -bench PlanSwitchover -benchmem -count 5
func BenchmarkPlanSwitchover(b *testing.B) {
	const (
		n                = 200
		primaryClusterID = 3_100_001
		standbyClusterID = 3_100_002
		firstPrimaryID   = 4_000_001
		firstStandbyID   = 4_100_001
	)
	sc := &ocpsim.Scenario{Server: "ocpbench", Clusters: []ocpsim.Cluster{
		{ID: primaryClusterID, Name: "BENCH_P", Type: ocpsim.ClusterPrimary, OBProxyCluster: "obproxy_bench"},
		{ID: standbyClusterID, Name: "BENCH_S", Type: ocpsim.ClusterStandby, PrimaryClusterID: primaryClusterID, OBProxyCluster: "obproxy_bench"},
	}}
	delay := int64(100)
	for i := range n {
		sc.Tenants = append(sc.Tenants,
			ocpsim.Tenant{ID: firstPrimaryID + int64(i), Name: fmt.Sprintf("t%03d_p", i), ClusterID: primaryClusterID,
				TenantRole: ocpsim.RolePrimary, ServiceName: fmt.Sprintf("svc_%03d", i)},
			ocpsim.Tenant{ID: firstStandbyID + int64(i), Name: fmt.Sprintf("t%03d_s", i), ClusterID: standbyClusterID,
				TenantRole: ocpsim.RoleStandby, PrimaryTenantID: firstPrimaryID + int64(i), SyncStatus: "NORMAL",
				LogSyncDelayMillis: &delay, ServiceName: fmt.Sprintf("svc_%03d", i)})
	}
	f := acctest.NewSimulator(b, ocpsim.Config{Scenario: sc})
	p := f.ProtocolServer(b)
	srv := p.Server()
	const typeName = "ocp_tenant_switchover"
	prior := p.ResourceValue(typeName, nil)
	configs := make([]*tfprotov6.DynamicValue, n)
	for i := range n {
		// Declared the other way round: the current standby as primary.
		configs[i] = p.ResourceValue(typeName, map[string]any{
			"primary": map[string]any{"cluster_id": standbyClusterID, "tenant_id": firstStandbyID + i},
			"standby": map[string]any{"cluster_id": primaryClusterID, "tenant_id": firstPrimaryID + i},
		})
	}
	ctx := b.Context()
	plan := func(check bool) {
		for _, cfg := range configs {
			for range 2 {
				v, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: cfg})
				if err != nil || len(v.Diagnostics) > 0 {
					b.Fatalf("ValidateResourceConfig: %v %v", err, v.Diagnostics)
				}
			}
			r, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
				TypeName: typeName, PriorState: prior, ProposedNewState: cfg, Config: cfg})
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range r.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					b.Fatalf("PlanResourceChange: %s: %s", d.Summary, d.Detail)
				}
			}
			if check {
				checkSwitchoverPlanned(b, r, p.ResourceType(typeName), primaryClusterID)
			}
		}
	}
	plan(true) // warm-up, and the plan is what it should be
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		plan(false)
	}
}

// checkSwitchoverPlanned fails unless the planned state shows a switchover: the task attributes unknown
// and the declared primary (the current standby, on the other cluster) planned PRIMARY.
func checkSwitchoverPlanned(b *testing.B, r *tfprotov6.PlanResourceChangeResponse, typ tftypes.Type, primaryClusterID int64) {
	b.Helper()
	if r.PlannedState == nil {
		b.Fatal("no planned state")
	}
	v, err := r.PlannedState.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		b.Fatal(err)
	}
	if attrs["task_id"].IsKnown() {
		b.Fatalf("task_id planned as %v, want unknown (a switchover)", attrs["task_id"])
	}
	var action string
	if err := attrs["planned_action"].As(&action); err != nil || !strings.HasPrefix(action, "switchover ") {
		b.Fatalf("planned_action planned as %v (%v), want a switchover", attrs["planned_action"], err)
	}
	var primary map[string]tftypes.Value
	if err := attrs["primary"].As(&primary); err != nil {
		b.Fatal(err)
	}
	var role string
	if err := primary["role"].As(&role); err != nil || role != "PRIMARY" {
		b.Fatalf("primary role planned as %v (%v), want PRIMARY", primary["role"], err)
	}
	if primary["cluster_id"].Equal(tftypes.NewValue(tftypes.Number, primaryClusterID)) {
		b.Fatal("the declared primary is already the primary: the plan needs no switchover")
	}
}
