package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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

func TestPairRoles(t *testing.T) {
	cases := []struct {
		name       string
		pair       pairState
		want       pairRoles
		curPrimary int64
	}{
		{"as declared", pairState{ohayo1, ohayo2}, rolesAsDeclared, 2000022},
		{"swapped", pairState{ohayo2, ohayo1}, rolesSwapped, 2000022},
		{"two primaries", pairState{ohayo1, with(ohayo2, ocp.RolePrimary, ocp.TenantNormal)}, rolesInconsistent, 2000022},
		{"two standbys", pairState{with(ohayo1, ocp.RoleStandby, ocp.TenantNormal), ohayo2}, rolesInconsistent, 2000022},
		{"no role", pairState{with(ohayo1, "", ocp.TenantNormal), ohayo2}, rolesInconsistent, 2000022},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pair.roles(); got != tc.want {
				t.Fatalf("roles() = %d, want %d", got, tc.want)
			}
			if p, _ := tc.pair.current(); p.ID != tc.curPrimary {
				t.Fatalf("current primary = %d, want %d", p.ID, tc.curPrimary)
			}
		})
	}
}

func TestPairProblem(t *testing.T) {
	cases := []struct {
		name string
		pair pairState
		want []string // substrings of the detail; nil means no problem
	}{
		{"swapped and idle", pairState{ohayo2, ohayo1}, nil},
		{"two primaries", pairState{ohayo1, with(ohayo2, ocp.RolePrimary, ocp.TenantNormal)},
			[]string{"ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY", "ohayo_2 (tenant 2000025 of cluster 3000010) is PRIMARY", "failover"}},
		{"two standbys", pairState{with(ohayo1, ocp.RoleStandby, ocp.TenantNormal), ohayo2},
			[]string{"is STANDBY and NORMAL", "Neither tenant is PRIMARY"}},
		{"busy", pairState{ohayo2, with(ohayo1, ocp.RolePrimary, ocp.TenantModifying)},
			[]string{"ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY and MODIFYING", "another OCP task"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := pairProblem(tc.pair)
			if tc.want == nil {
				if d != nil {
					t.Fatalf("unexpected problem: %s: %s", d.Summary(), d.Detail())
				}
				return
			}
			if d == nil || d.Severity() != diag.SeverityError {
				t.Fatalf("want an error, got %v", d)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
		})
	}
}

func TestTaskBelongsToPair(t *testing.T) {
	busy1 := with(ohayo1, ocp.RolePrimary, ocp.TenantModifying)
	busy2 := with(ohayo2, ocp.RoleStandby, ocp.TenantModifying)
	cases := []struct {
		name string
		task ocp.Task
		pair pairState
		want bool
	}{
		{"primary's task, both busy", ocp.Task{TenantID: 2000022}, pairState{busy2, busy1}, true},
		{"standby's task, both busy", ocp.Task{TenantID: 2000025}, pairState{busy1, busy2}, true},
		{"task of a third tenant", ocp.Task{TenantID: 42}, pairState{busy1, busy2}, false},
		{"the other tenant idle: a switchover with someone else", ocp.Task{TenantID: 2000022}, pairState{ohayo2, busy1}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := taskBelongsToPair(&tc.task, tc.pair); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// The precheck page's sample answer: one blocking check (OBE26009) and one warning (OBE26107).
func samplePrecheck() *ocp.PrecheckResult {
	return &ocp.PrecheckResult{
		Valid: false, TenantID: 2000022, Name: "ohayo_1", ClusterID: 3000009, ClusterName: "OB42_B",
		StandbyCheckResults: []ocp.StandbyPrecheckResult{{
			Valid: false, TenantID: 2000025, Name: "ohayo_2", ClusterID: 3000010, ClusterName: "OB424_A",
			CheckResults: []ocp.CheckResult{
				{ErrorCode: "OBE26009", ErrorMessage: "This operation is not allowed because the log synchronization latency of the ohayo_2 tenant is 14,883,430 ms, which exceeds 10,000 ms."},
				{Warning: true, ErrorCode: "OBE26107", ErrorMessage: "Automatic routing cannot be implemented after the switchover because the clusters of the primary and standby tenants are not associated with the same OBProxy cluster."},
			},
		}},
	}
}

func TestPrecheckDiagnostics(t *testing.T) {
	both := []string{"ohayo_1 (tenant 2000022 of cluster 3000009)", "ohayo_2 (tenant 2000025 of cluster 3000010)"}

	t.Run("blocking and warning", func(t *testing.T) {
		diags := precheckDiagnostics(samplePrecheck(), ohayo1, ohayo2, true)
		errs, warns := diags.Errors(), diags.Warnings()
		if len(errs) != 1 || len(warns) != 1 {
			t.Fatalf("want 1 error and 1 warning, got %v", diags)
		}
		if !strings.Contains(errs[0].Summary(), "OBE26009") || !strings.Contains(errs[0].Detail(), "OBE26009: This operation is not allowed") {
			t.Errorf("error: %s\n%s", errs[0].Summary(), errs[0].Detail())
		}
		if !strings.Contains(warns[0].Summary(), "OBE26107") {
			t.Errorf("warning: %s", warns[0].Summary())
		}
		for _, d := range []diag.Diagnostic{errs[0], warns[0]} {
			for _, w := range both {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("%q lacks %q:\n%s", d.Summary(), w, d.Detail())
				}
			}
		}
	})

	t.Run("warnings not allowed", func(t *testing.T) {
		res := samplePrecheck()
		res.Valid, res.StandbyCheckResults[0].Valid = true, true
		res.StandbyCheckResults[0].CheckResults = res.StandbyCheckResults[0].CheckResults[1:]
		if diags := precheckDiagnostics(res, ohayo1, ohayo2, true); diags.HasError() || len(diags.Warnings()) != 1 {
			t.Fatalf("allowed: %v", diags)
		}
		diags := precheckDiagnostics(res, ohayo1, ohayo2, false)
		if len(diags.Errors()) != 1 || len(diags.Warnings()) != 0 {
			t.Fatalf("not allowed: %v", diags)
		}
		if d := diags.Errors()[0]; !strings.Contains(d.Summary(), "OBE26107") || !strings.Contains(d.Detail(), "allow_warnings = false") {
			t.Errorf("%s\n%s", d.Summary(), d.Detail())
		}
	})

	t.Run("valid and clean", func(t *testing.T) {
		res := &ocp.PrecheckResult{Valid: true, StandbyCheckResults: []ocp.StandbyPrecheckResult{{Valid: true, TenantID: 2000025}}}
		if diags := precheckDiagnostics(res, ohayo1, ohayo2, false); len(diags) != 0 {
			t.Fatalf("got %v", diags)
		}
	})

	t.Run("invalid without a reason", func(t *testing.T) {
		res := &ocp.PrecheckResult{Valid: false}
		diags := precheckDiagnostics(res, ohayo1, ohayo2, true)
		if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), "without naming a check") {
			t.Fatalf("got %v", diags)
		}
	})
}
