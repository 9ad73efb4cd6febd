package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

func tenant(id, cluster int64, name string, role ocp.TenantRole, status ocp.TenantStatus) ocp.Tenant {
	return ocp.Tenant{ID: id, ClusterID: cluster, Name: name, Role: role, Status: status}
}

var (
	ohayo1 = tenant(2000022, 3000009, "ohayo_1", ocp.RolePrimary, ocp.TenantNormal)
	ohayo2 = tenant(2000025, 3000010, "ohayo_2", ocp.RoleStandby, ocp.TenantNormal)
)

func with(t ocp.Tenant, role ocp.TenantRole, status ocp.TenantStatus) ocp.Tenant {
	t.Role, t.Status = role, status
	return t
}

func TestPairID(t *testing.T) {
	a, b := dr.TenantRef{ClusterID: 3000009, TenantID: 2000022}, dr.TenantRef{ClusterID: 3000010, TenantID: 2000025}
	if got, want := pairID(a, b), "3000009/2000022,3000010/2000025"; got != want {
		t.Fatalf("pairID = %q, want %q", got, want)
	}
	if pairID(a, b) != pairID(b, a) {
		t.Fatal("pairID depends on the order of the roles")
	}
}

func TestParsePairID(t *testing.T) {
	good := map[string][2]dr.TenantRef{
		"3000009/2000022,3000010/2000025":     {{ClusterID: 3000009, TenantID: 2000022}, {ClusterID: 3000010, TenantID: 2000025}},
		" 3000010/2000025 , 3000009/2000022 ": {{ClusterID: 3000010, TenantID: 2000025}, {ClusterID: 3000009, TenantID: 2000022}},
	}
	for id, want := range good {
		a, b, err := parsePairID(id)
		if err != nil || a != want[0] || b != want[1] {
			t.Errorf("parsePairID(%q) = %v, %v, %v; want %v", id, a, b, err, want)
		}
	}
	for _, id := range []string{"", "3000009/2000022", "3000009/2000022,3000010", "a/b,c/d", "0/1,2/3",
		"3000009/2000022,3000010/2000022", "1/2,3/4,5/6", "-1/2,3/4"} {
		if _, _, err := parsePairID(id); err == nil {
			t.Errorf("parsePairID(%q) accepted", id)
		}
	}
}

func tenantOf(t *testing.T, m tenantSwitchoverModel, which string) switchoverTenantModel {
	t.Helper()
	obj := m.Primary
	if which == "standby" {
		obj = m.Standby
	}
	tm, diags := tenantModelFrom(context.Background(), obj)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return tm
}

// The state follows OCP: the tenant OCP reports PRIMARY comes first when the pair is swapped; otherwise
// the order is kept and each role is OCP's, never the one declared.
func TestWithPair(t *testing.T) {
	cases := []struct {
		name                     string
		pair                     dr.Pair
		primaryID, standbyID     int64
		primaryRole, standbyRole string
	}{
		{"as declared", dr.Pair{Primary: ohayo1, Standby: ohayo2}, 2000022, 2000025, "PRIMARY", "STANDBY"},
		{"swapped", dr.Pair{Primary: ohayo2, Standby: ohayo1}, 2000022, 2000025, "PRIMARY", "STANDBY"},
		{"two standbys", dr.Pair{Primary: ohayo2, Standby: with(ohayo1, ocp.RoleStandby, ocp.TenantNormal)}, 2000025, 2000022, "STANDBY", "STANDBY"},
		{"two primaries", dr.Pair{Primary: with(ohayo2, ocp.RolePrimary, ocp.TenantNormal), Standby: ohayo1}, 2000025, 2000022, "PRIMARY", "PRIMARY"},
		// OCP's documented tenant detail has no role: the state says none rather than a guess.
		{"no role reported", dr.Pair{Primary: with(ohayo2, "", ocp.TenantNormal), Standby: ohayo1}, 2000025, 2000022, "", "PRIMARY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := withPair(tenantSwitchoverModel{AllowWarnings: types.BoolValue(true)}, tc.pair)
			p, s := tenantOf(t, m, "primary"), tenantOf(t, m, "standby")
			if p.TenantID.ValueInt64() != tc.primaryID || s.TenantID.ValueInt64() != tc.standbyID ||
				p.Role.ValueString() != tc.primaryRole || s.Role.ValueString() != tc.standbyRole {
				t.Fatalf("primary %v %v, standby %v %v", p.TenantID, p.Role, s.TenantID, s.Role)
			}
			if m.ID.ValueString() != "3000009/2000022,3000010/2000025" {
				t.Fatalf("id %s", m.ID)
			}
			if !m.AllowWarnings.ValueBool() {
				t.Fatal("withPair lost the other attributes")
			}
		})
	}
}

func TestWithTask(t *testing.T) {
	now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	finished := time.Date(2026, 11, 3, 9, 58, 7, 0, time.FixedZone("CST", 8*3600))
	prior := tenantSwitchoverModel{TaskID: types.Int64Value(1), TaskStatus: types.StringValue("SUCCESSFUL"), SwitchedAt: types.StringValue("2026-01-01T00:00:00Z")}

	if m := withTask(prior, nil, now); m.TaskID != prior.TaskID || m.SwitchedAt != prior.SwitchedAt {
		t.Fatalf("no task changed the task attributes: %+v", m)
	}
	m := withTask(prior, &ocp.Task{ID: 7, Status: ocp.TaskSuccessful, FinishTime: &finished}, now)
	if m.TaskID.ValueInt64() != 7 || m.TaskStatus.ValueString() != "SUCCESSFUL" || m.SwitchedAt.ValueString() != "2026-11-03T01:58:07Z" {
		t.Fatalf("successful: %+v", m)
	}
	m = withTask(prior, &ocp.Task{ID: 8, Status: ocp.TaskSuccessful}, now)
	if m.SwitchedAt.ValueString() != "2026-11-03T10:00:00Z" {
		t.Fatalf("no finish time: %s", m.SwitchedAt)
	}
	m = withTask(prior, &ocp.Task{ID: 9, Status: ocp.TaskFailed}, now)
	if m.TaskStatus.ValueString() != "FAILED" || m.SwitchedAt != prior.SwitchedAt {
		t.Fatalf("failed: %+v", m)
	}
	m = knownOrNull(tenantSwitchoverModel{TaskID: types.Int64Unknown(), TaskStatus: types.StringUnknown(), SwitchedAt: types.StringUnknown(),
		LastSwitchover: types.ObjectUnknown(lastSwitchoverAttrTypes)})
	if !m.TaskID.IsNull() || !m.TaskStatus.IsNull() || !m.SwitchedAt.IsNull() || !m.LastSwitchover.IsNull() {
		t.Fatalf("knownOrNull: %+v", m)
	}
}

// The model's conversions without reflection give what tfsdk's Get and Set (and ObjectValue.As) give.
func TestSwitchoverModelConversionsMatchReflection(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	(&tenantSwitchoverResource{}).Schema(ctx, resource.SchemaRequest{}, &sresp)
	sch := sresp.Schema
	timeoutsType := sch.Type().(attr.TypeWithAttributeTypes).AttributeTypes()["timeouts"]
	timeoutsOf := func(v tftypes.Value) timeouts.Value {
		t.Helper()
		tv, err := timeoutsType.ValueFromTerraform(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		return tv.(timeouts.Value)
	}
	tt := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"create": tftypes.String, "update": tftypes.String}}
	known := tenantSwitchoverModel{
		ID:      types.StringValue("1/2,3/4"),
		Primary: tenantObject(dr.TenantRef{ClusterID: 1, TenantID: 2}, "p", ocp.RolePrimary), Standby: tenantObject(dr.TenantRef{ClusterID: 3, TenantID: 4}, "", ""),
		AllowWarnings: types.BoolValue(false), TaskID: types.Int64Value(7), TaskStatus: types.StringValue("SUCCESSFUL"),
		SwitchedAt: types.StringValue("2024-01-01T00:00:00Z"), Timeouts: timeoutsOf(tftypes.NewValue(tt, nil)),
		LastSwitchover: evidenceFixture(),
		PlannedAction:  types.StringValue(plannedNone),
	}
	unknowns := tenantSwitchoverModel{
		ID: types.StringUnknown(), Primary: types.ObjectUnknown(switchoverTenantAttrTypes), Standby: types.ObjectNull(switchoverTenantAttrTypes),
		AllowWarnings: types.BoolUnknown(), TaskID: types.Int64Unknown(), TaskStatus: types.StringNull(), SwitchedAt: types.StringUnknown(),
		Timeouts: timeoutsOf(tftypes.NewValue(tt, map[string]tftypes.Value{
			"create": tftypes.NewValue(tftypes.String, "30m"), "update": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})),
		LastSwitchover: types.ObjectUnknown(lastSwitchoverAttrTypes),
		PlannedAction:  types.StringUnknown(),
	}
	nested := known
	nested.Primary = types.ObjectValueMust(switchoverTenantAttrTypes, map[string]attr.Value{
		"cluster_id": types.Int64Unknown(), "tenant_id": types.Int64Value(2), "name": types.StringNull(), "role": types.StringUnknown()})
	nested.Timeouts = timeoutsOf(tftypes.NewValue(tt, tftypes.UnknownValue))
	nested.LastSwitchover = types.ObjectNull(lastSwitchoverAttrTypes)

	for name, m := range map[string]tenantSwitchoverModel{"known": known, "unknowns": unknowns, "nested": nested} {
		t.Run(name, func(t *testing.T) {
			ref := tfsdk.State{Schema: sch}
			if d := ref.Set(ctx, m); d.HasError() {
				t.Fatal(d)
			}
			got, d := m.terraformValue(ctx, sch)
			if d.HasError() {
				t.Fatal(d)
			}
			if !got.Equal(ref.Raw) {
				t.Fatalf("terraformValue =\n%s\nSet gives\n%s", got, ref.Raw)
			}
			var want tenantSwitchoverModel
			if d := ref.Get(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			back, d := getSwitchover(ctx, sch, ref.Raw)
			if d.HasError() {
				t.Fatal(d)
			}
			if !reflect.DeepEqual(back, want) || !reflect.DeepEqual(back, m) {
				t.Fatalf("getSwitchover =\n%+v\nGet gives\n%+v\nwritten\n%+v", back, want, m)
			}
			for _, obj := range []types.Object{m.Primary, m.Standby} {
				got, d1 := tenantModelFrom(ctx, obj)
				var want switchoverTenantModel
				if obj.IsNull() || obj.IsUnknown() {
					want = switchoverTenantModel{ClusterID: types.Int64Unknown(), TenantID: types.Int64Unknown(),
						Name: types.StringUnknown(), Role: types.StringUnknown()}
				} else if d2 := obj.As(ctx, &want, basetypes.ObjectAsOptions{}); d2.HasError() {
					t.Fatal(d2)
				}
				if d1.HasError() || !reflect.DeepEqual(got, want) {
					t.Fatalf("tenantModelFrom(%s) = %+v (%v), As gives %+v", obj, got, d1, want)
				}
			}
		})
	}

	// What Set refuses (a zero object of no attribute types), terraformValue refuses too; what Get
	// refuses (a null value), getSwitchover too.
	bad := known
	bad.Primary = types.Object{}
	if d := (&tfsdk.State{Schema: sch}).Set(ctx, bad); !d.HasError() {
		t.Fatal("Set accepted a zero object: the test's premise is wrong")
	}
	if _, d := bad.terraformValue(ctx, sch); !d.HasError() {
		t.Fatal("terraformValue accepted a zero object")
	}
	if _, d := getSwitchover(ctx, sch, tftypes.NewValue(sch.Type().TerraformType(ctx), nil)); !d.HasError() {
		t.Fatal("getSwitchover read a null value")
	}
	if _, d := tenantModelFrom(ctx, types.ObjectValueMust(map[string]attr.Type{"cluster_id": types.StringType},
		map[string]attr.Value{"cluster_id": types.StringValue("x")})); !d.HasError() {
		t.Fatal("tenantModelFrom read an object of other attributes")
	}
}

// planned_action: an update's value comes from the state alone; a create's from what OCP reports; an
// apply without a planned value records what it did.
func TestPlannedAction(t *testing.T) {
	ctx := context.Background()
	p1, p2 := dr.RefOf(ohayo1), dr.RefOf(ohayo2)
	state := func(first, second ocp.Tenant, taskStatus string) tenantSwitchoverModel {
		m := withPair(tenantSwitchoverModel{TaskID: types.Int64Value(5000000001), TaskStatus: optionalString(taskStatus)},
			dr.Pair{Primary: first, Standby: second})
		return m
	}
	cases := []struct {
		name             string
		state            tenantSwitchoverModel
		primary, standby dr.TenantRef
		want             string
	}{
		{"roles hold", state(ohayo1, ohayo2, "SUCCESSFUL"), p1, p2, plannedNone},
		{"switch to the standby", state(ohayo1, ohayo2, "SUCCESSFUL"), p2, p1, "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)"},
		{"switched in OCP: back", state(with(ohayo1, ocp.RoleStandby, ocp.TenantNormal), with(ohayo2, ocp.RolePrimary, ocp.TenantNormal), ""),
			p1, p2, "switchover ohayo_2 (2000025) -> ohayo_1 (2000022)"},
		{"a task recorded running", state(ohayo1, ohayo2, "RUNNING"), p2, p1, "wait for switchover task 5000000001"},
		{"roles hold, task recorded running", state(ohayo1, ohayo2, "RUNNING"), p1, p2, plannedNone},
		{"without names", state(with(ocp.Tenant{ID: 7, ClusterID: 1}, ocp.RolePrimary, ocp.TenantNormal),
			with(ocp.Tenant{ID: 8, ClusterID: 2}, ocp.RoleStandby, ocp.TenantNormal), ""),
			dr.TenantRef{ClusterID: 2, TenantID: 8}, dr.TenantRef{ClusterID: 1, TenantID: 7}, "switchover tenant 7 -> tenant 8"},
	}
	for _, tc := range cases {
		if got := plannedFromState(ctx, tc.state, tc.primary, tc.standby); got != tc.want {
			t.Errorf("%s: plannedFromState = %q, want %q", tc.name, got, tc.want)
		}
	}

	if got := plannedFromOCP(dr.SwitchoverPlan{Pair: dr.Pair{Primary: ohayo1, Standby: ohayo2}}); got != plannedNone {
		t.Errorf("create, roles hold: %q", got)
	}
	swapped := dr.Pair{Primary: ohayo2, Standby: ohayo1}
	for _, running := range []*ocp.Task{nil, {ID: 9}} {
		// A running switchover of the pair does not change a create's value: it is stated in roles.
		if got := plannedFromOCP(dr.SwitchoverPlan{Pair: swapped, Needed: true, Running: running}); got != "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)" {
			t.Errorf("create, swapped (running %v): %q", running, got)
		}
	}

	for _, tc := range []struct {
		out   dr.SwitchoverOutcome
		prior int64
		want  string
	}{
		{dr.SwitchoverOutcome{Before: swapped, Started: true, Task: &ocp.Task{ID: 3}}, 0, "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)"},
		{dr.SwitchoverOutcome{Before: swapped, Attached: true, Task: &ocp.Task{ID: 3}}, 0, "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)"},
		{dr.SwitchoverOutcome{Before: swapped, Attached: true, Task: &ocp.Task{ID: 3}}, 3, "wait for switchover task 3"},
		// A start whose outcome is unknown tried to switch over: what a refresh resolves UNKNOWN by.
		{dr.SwitchoverOutcome{Before: swapped, Unknown: true}, 0, "switchover ohayo_1 (2000022) -> ohayo_2 (2000025)"},
		{dr.SwitchoverOutcome{Before: dr.Pair{Primary: ohayo1, Standby: ohayo2}, Task: &ocp.Task{ID: 3}}, 3, plannedNone},
	} {
		if got := plannedFromOutcome(tc.out, tc.prior); got != tc.want {
			t.Errorf("plannedFromOutcome(%+v, %d) = %q, want %q", tc.out, tc.prior, got, tc.want)
		}
	}

	for v, starts := range map[types.String]bool{
		types.StringValue(plannedNone): false, types.StringValue("wait for switchover task 3"): false,
		types.StringValue("switchover a (1) -> b (2)"): true, types.StringUnknown(): true, types.StringNull(): true,
	} {
		if plannedStartsNothing(v) == starts {
			t.Errorf("plannedStartsNothing(%s) = %v", v, !starts)
		}
	}
}
