package dr

import (
	"strings"
	"testing"

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
		pair       Pair
		want       Roles
		curPrimary int64
	}{
		{"as declared", Pair{ohayo1, ohayo2}, RolesAsDeclared, 2000022},
		{"swapped", Pair{ohayo2, ohayo1}, RolesSwapped, 2000022},
		{"two primaries", Pair{ohayo1, with(ohayo2, ocp.RolePrimary, ocp.TenantNormal)}, RolesInconsistent, 2000022},
		{"two standbys", Pair{with(ohayo1, ocp.RoleStandby, ocp.TenantNormal), ohayo2}, RolesInconsistent, 2000022},
		{"no role reported", Pair{with(ohayo1, "", ocp.TenantNormal), ohayo2}, RolesUnknown, 2000022},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pair.Roles(); got != tc.want {
				t.Fatalf("roles() = %d, want %d", got, tc.want)
			}
			if p, _ := tc.pair.Current(); p.ID != tc.curPrimary {
				t.Fatalf("current primary = %d, want %d", p.ID, tc.curPrimary)
			}
		})
	}
}

func TestPairProblem(t *testing.T) {
	cases := []struct {
		name string
		pair Pair
		want []string // substrings of the detail; nil means no problem
	}{
		{"swapped and idle", Pair{ohayo2, ohayo1}, nil},
		{"two primaries", Pair{ohayo1, with(ohayo2, ocp.RolePrimary, ocp.TenantNormal)},
			[]string{"ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY", "ohayo_2 (tenant 2000025 of cluster 3000010) is PRIMARY", "failover"}},
		{"two standbys", Pair{with(ohayo1, ocp.RoleStandby, ocp.TenantNormal), ohayo2},
			[]string{"is STANDBY and NORMAL", "Neither tenant is PRIMARY"}},
		{"busy", Pair{ohayo2, with(ohayo1, ocp.RolePrimary, ocp.TenantModifying)},
			[]string{"ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY and MODIFYING", "another OCP task"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := pairProblem(tc.pair)
			if tc.want == nil {
				if d != nil {
					t.Fatalf("unexpected problem: %s", summaries(Problems{*d}))
				}
				return
			}
			if d == nil || d.Severity != Error {
				t.Fatalf("want an error, got %v", d)
			}
			for _, w := range tc.want {
				if !strings.Contains(text(*d), w) {
					t.Errorf("problem lacks %q:\n%s", w, text(*d))
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
		pair Pair
		want bool
	}{
		{"primary's task, both busy", ocp.Task{TenantID: 2000022}, Pair{busy2, busy1}, true},
		{"standby's task, both busy", ocp.Task{TenantID: 2000025}, Pair{busy1, busy2}, true},
		{"task of a third tenant", ocp.Task{TenantID: 42}, Pair{busy1, busy2}, false},
		{"the other tenant idle: a switchover with someone else", ocp.Task{TenantID: 2000022}, Pair{ohayo2, busy1}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := taskBelongsToPair(&tc.task, tc.pair, false); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			// After an unknown outcome the caller trusts a task of either tenant whatever the statuses.
			if trusted := taskBelongsToPair(&tc.task, tc.pair, true); trusted != (tc.task.TenantID != 42) {
				t.Fatalf("trusted: got %v", trusted)
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

func TestPrecheckProblems(t *testing.T) {
	both := []string{"ohayo_1 (tenant 2000022 of cluster 3000009)", "ohayo_2 (tenant 2000025 of cluster 3000010)"}

	t.Run("blocking and warning", func(t *testing.T) {
		ps := PrecheckProblems(samplePrecheck(), ohayo1, ohayo2, true)
		errs, warns := errorsOf(ps), warningsOf(ps)
		if len(errs) != 1 || len(warns) != 1 {
			t.Fatalf("want 1 error and 1 warning, got %s", summaries(ps))
		}
		if !strings.Contains(errs[0].Summary, "OBE26009") || !strings.Contains(errs[0].Detail, "OBE26009: This operation is not allowed") ||
			!strings.Contains(errs[0].Detail, "Fix the cause in OCP") || errs[0].Config {
			t.Errorf("error: %s", summaries(errs))
		}
		if strings.Contains(errs[0].Detail, ".;") || strings.Contains(errs[0].Detail, "..") {
			t.Errorf("double punctuation: %s", errs[0].Detail)
		}
		if !strings.Contains(warns[0].Summary, "OBE26107") {
			t.Errorf("warning: %s", warns[0].Summary)
		}
		for _, d := range []Problem{errs[0], warns[0]} {
			for _, w := range both {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("%q lacks %q:\n%s", d.Summary, w, d.Detail)
				}
			}
		}
	})

	t.Run("warnings not allowed", func(t *testing.T) {
		res := samplePrecheck()
		res.Valid, res.StandbyCheckResults[0].Valid = true, true
		res.StandbyCheckResults[0].CheckResults = res.StandbyCheckResults[0].CheckResults[1:]
		if ps := PrecheckProblems(res, ohayo1, ohayo2, true); ps.HasError() || len(warningsOf(ps)) != 1 {
			t.Fatalf("allowed: %s", summaries(ps))
		}
		ps := PrecheckProblems(res, ohayo1, ohayo2, false)
		if len(errorsOf(ps)) != 1 || len(warningsOf(ps)) != 0 {
			t.Fatalf("not allowed: %s", summaries(ps))
		}
		if d := errorsOf(ps)[0]; !strings.Contains(d.Summary, "OBE26107") || !strings.Contains(d.Detail, "allow_warnings = false") {
			t.Errorf("%s", summaries(ps))
		}
	})

	t.Run("valid and clean", func(t *testing.T) {
		res := &ocp.PrecheckResult{Valid: true, StandbyCheckResults: []ocp.StandbyPrecheckResult{{Valid: true, TenantID: 2000025}}}
		if ps := PrecheckProblems(res, ohayo1, ohayo2, false); len(ps) != 0 {
			t.Fatalf("got %s", summaries(ps))
		}
	})

	t.Run("invalid without a reason", func(t *testing.T) {
		res := &ocp.PrecheckResult{Valid: false}
		ps := PrecheckProblems(res, ohayo1, ohayo2, true)
		if len(errorsOf(ps)) != 1 || !strings.Contains(errorsOf(ps)[0].Detail, "without naming a check") {
			t.Fatalf("got %s", summaries(ps))
		}
	})

	t.Run("two tenants that are not a pair: a configuration error", func(t *testing.T) {
		res := &ocp.PrecheckResult{Valid: false, StandbyCheckResults: []ocp.StandbyPrecheckResult{{Valid: false, TenantID: 2000025,
			CheckResults: []ocp.CheckResult{{ErrorCode: "OBE26003", ErrorMessage: "The standby tenant is not a standby of the primary tenant."}}}}}
		ps := PrecheckProblems(res, ohayo1, ohayo2, true)
		if len(ps) != 1 || !ps[0].Config || ps[0].Input != InputStandby || strings.Contains(ps[0].Detail, "Fix the cause in OCP") ||
			!strings.Contains(ps[0].Detail, "set primary and standby to the two tenants of one pair") {
			t.Fatalf("got %s", summaries(ps))
		}
	})
}

func TestNotAPair(t *testing.T) {
	standbyOfOther := ohayo2
	standbyOfOther.PrimaryTenantID = 42
	if p := notAPair(Pair{ohayo1, standbyOfOther}); p == nil || !p.Config || p.Input != InputStandby ||
		!strings.Contains(p.Detail, "standby of tenant 42, not of ohayo_1") {
		t.Fatalf("got %+v", p)
	}
	// Declared the other way round (a switchover asked for): the current standby is the declared primary.
	if p := notAPair(Pair{standbyOfOther, ohayo1}); p == nil || p.Input != InputPrimary {
		t.Fatalf("swapped: got %+v", p)
	}
	ok := ohayo2
	ok.PrimaryTenantID = ohayo1.ID
	if p := notAPair(Pair{ohayo1, ok}); p != nil {
		t.Fatalf("a pair: %+v", p)
	}
	if p := notAPair(Pair{ohayo1, ohayo2}); p != nil {
		t.Fatalf("OCP does not report the standby's primary: the precheck decides, got %+v", p)
	}
}
