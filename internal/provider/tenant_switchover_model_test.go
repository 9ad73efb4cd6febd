package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

func TestPairID(t *testing.T) {
	a, b := tenantRef{3000009, 2000022}, tenantRef{3000010, 2000025}
	if got, want := pairID(a, b), "3000009/2000022,3000010/2000025"; got != want {
		t.Fatalf("pairID = %q, want %q", got, want)
	}
	if pairID(a, b) != pairID(b, a) {
		t.Fatal("pairID depends on the order of the roles")
	}
}

func TestParsePairID(t *testing.T) {
	good := map[string][2]tenantRef{
		"3000009/2000022,3000010/2000025":     {{3000009, 2000022}, {3000010, 2000025}},
		" 3000010/2000025 , 3000009/2000022 ": {{3000010, 2000025}, {3000009, 2000022}},
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
		pair                     pairState
		primaryID, standbyID     int64
		primaryRole, standbyRole string
	}{
		{"as declared", pairState{ohayo1, ohayo2}, 2000022, 2000025, "PRIMARY", "STANDBY"},
		{"swapped", pairState{ohayo2, ohayo1}, 2000022, 2000025, "PRIMARY", "STANDBY"},
		{"two standbys", pairState{ohayo2, with(ohayo1, ocp.RoleStandby, ocp.TenantNormal)}, 2000025, 2000022, "STANDBY", "STANDBY"},
		{"two primaries", pairState{with(ohayo2, ocp.RolePrimary, ocp.TenantNormal), ohayo1}, 2000025, 2000022, "PRIMARY", "PRIMARY"},
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
	m = knownOrNull(tenantSwitchoverModel{TaskID: types.Int64Unknown(), TaskStatus: types.StringUnknown(), SwitchedAt: types.StringUnknown()})
	if !m.TaskID.IsNull() || !m.TaskStatus.IsNull() || !m.SwitchedAt.IsNull() {
		t.Fatalf("knownOrNull: %+v", m)
	}
}
