package dr

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// standbyOf is a NORMAL standby of primary.
func standbyOf(id, cluster int64, name string, primary int64) ocp.Tenant {
	t := tenant(id, cluster, name, ocp.RoleStandby, ocp.TenantNormal)
	t.PrimaryTenantID = primary
	return t
}

// defaultWorld is the tenants of the simulator's default world, as OCP lists them.
func defaultWorld() []ocp.Tenant {
	return []ocp.Tenant{
		ohayo1, standbyOf(2000025, 3000010, "ohayo_2", 2000022),
		tenant(2000101, 3000013, "orders_p", ocp.RolePrimary, ocp.TenantNormal), standbyOf(2000102, 3000014, "orders_s", 2000101),
		tenant(2000111, 3000013, "lag_p", ocp.RolePrimary, ocp.TenantNormal), standbyOf(2000112, 3000014, "lag_s", 2000111),
		tenant(2000121, 3000013, "nomatch_p", ocp.RolePrimary, ocp.TenantNormal), standbyOf(2000122, 3000014, "nomatch_s", 2000121),
		tenant(2000131, 3000013, "batch_p", ocp.RolePrimary, ocp.TenantNormal),
		standbyOf(2000132, 3000014, "batch_s1", 2000131), standbyOf(2000133, 3000014, "batch_s2", 2000131), standbyOf(2000134, 3000014, "batch_s3", 2000131),
	}
}

func reversed(ts []ocp.Tenant) []ocp.Tenant {
	slices.Reverse(ts)
	return ts
}

// pairIDs renders pairs as "primary>standby" tenant ids, in order.
func pairIDs(pairs []Pair) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = fmt.Sprintf("%d>%d", p.Primary.ID, p.Standby.ID)
	}
	return out
}

// defaultPairs are the pairs of the default world, sorted by tenant ids.
var defaultPairs = []string{"2000022>2000025", "2000101>2000102", "2000111>2000112", "2000121>2000122",
	"2000131>2000132", "2000131>2000133", "2000131>2000134"}

func TestPairTenants(t *testing.T) {
	t.Parallel()
	swapped := defaultWorld()
	swapped[0] = standbyOf(2000022, 3000009, "ohayo_1", 2000025)
	swapped[1] = tenant(2000025, 3000010, "ohayo_2", ocp.RolePrimary, ocp.TenantNormal)

	someRoleless := defaultWorld()
	someRoleless[2].Role = "" // orders_p
	noPrimaryReported := defaultWorld()
	noPrimaryReported[5].PrimaryTenantID = 0 // lag_s
	cascaded := append(defaultWorld(), standbyOf(2000140, 3000014, "cascade_s", 2000025))
	afterFailover := defaultWorld()
	afterFailover[1] = tenant(2000025, 3000010, "ohayo_2", ocp.RolePrimary, ocp.TenantNormal) // independent primary
	busy := defaultWorld()
	busy[3].Status = ocp.TenantModifying // orders_s, in a running switchover: still listed

	cases := []struct {
		name    string
		tenants []ocp.Tenant
		filter  PairFilter
		want    []string
		// problems: "E:" or "W:" and a substring of the summary, target or detail, in order.
		problems []string
	}{
		{name: "default world", tenants: defaultWorld(), want: defaultPairs,
			problems: []string{"W:Primary tenant with several standbys|batch_p (tenant 2000131 of cluster 3000013)|3 standbys|batch_s1 (tenant 2000132 of cluster 3000014), batch_s2"}},
		{name: "listed in any order, twice", tenants: append(reversed(defaultWorld()), defaultWorld()...), want: defaultPairs,
			problems: []string{"W:several standbys"}},
		{name: "roles swapped: the current primary first", tenants: swapped, filter: PairFilter{TenantName: "ohayo_1"},
			want: []string{"2000025>2000022"}},
		{name: "filter by the standby's name", tenants: defaultWorld(), filter: PairFilter{TenantName: "ohayo_2"}, want: []string{"2000022>2000025"}},
		{name: "filter by a primary of several standbys", tenants: defaultWorld(), filter: PairFilter{TenantName: "batch_p"},
			want: []string{"2000131>2000132", "2000131>2000133", "2000131>2000134"}, problems: []string{"W:several standbys"}},
		{name: "filter by one standby of several", tenants: defaultWorld(), filter: PairFilter{TenantName: "batch_s2"},
			want: []string{"2000131>2000133"}},
		{name: "filter matching nothing", tenants: defaultWorld(), filter: PairFilter{TenantName: "nobody"}},
		{name: "filter is exact", tenants: defaultWorld(), filter: PairFilter{TenantName: "ohayo"}},
		{name: "nothing listed", tenants: nil},
		{name: "no role reported at all", tenants: func() []ocp.Tenant {
			ts := defaultWorld()
			for i := range ts {
				ts[i].Role, ts[i].PrimaryTenantID = "", 0
			}
			return ts
		}(), problems: []string{"E:OCP does not report the tenants' roles|the 12 tenants|does not guess|<cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>"}},
		{name: "some tenants without a role", tenants: someRoleless,
			want:     slices.DeleteFunc(slices.Clone(defaultPairs), func(s string) bool { return strings.HasPrefix(s, "2000101") }),
			problems: []string{"W:OCP reports no role for some tenants|orders_p (tenant 2000101", "W:several standbys"}},
		{name: "some tenants without a role, filtered out", tenants: someRoleless, filter: PairFilter{TenantName: "lag_p"},
			want: []string{"2000111>2000112"}},
		{name: "a standby without a reported primary", tenants: noPrimaryReported,
			want:     slices.DeleteFunc(slices.Clone(defaultPairs), func(s string) bool { return strings.HasPrefix(s, "2000111") }),
			problems: []string{"W:Standby tenant without a reported primary|lag_s (tenant 2000112 of cluster 3000014)", "W:several standbys"}},
		{name: "the primary's cluster not listed", tenants: defaultWorld()[1:4], want: []string{"2000101>2000102"},
			problems: []string{"W:Primary tenant not in the clusters listed|ohayo_2 (tenant 2000025 of cluster 3000010)|standby of tenant 2000022|Add the cluster of tenant 2000022"}},
		{name: "the primary's cluster not listed, filtered out", tenants: defaultWorld()[1:4], filter: PairFilter{TenantName: "orders_p"},
			want: []string{"2000101>2000102"}},
		{name: "a cascaded standby", tenants: cascaded, filter: PairFilter{TenantName: "cascade_s"},
			problems: []string{"W:Standby of a tenant that is not PRIMARY|cascade_s (tenant 2000140|standby of ohayo_2 (tenant 2000025 of cluster 3000010), which it reports STANDBY"}},
		{name: "two primaries after a failover: no pair", tenants: afterFailover, filter: PairFilter{TenantName: "ohayo_1"}},
		{name: "a tenant busy in a switchover is still listed", tenants: busy, filter: PairFilter{TenantName: "orders_s"},
			want: []string{"2000101>2000102"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pairs, ps := PairTenants(tc.tenants, tc.filter)
			if got := pairIDs(pairs); !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
				t.Errorf("pairs = %v\nwant    %v", got, tc.want)
			}
			for _, p := range pairs {
				if p.Roles() != RolesAsDeclared {
					t.Errorf("pair %d>%d is not in its current roles: %s", p.Primary.ID, p.Standby.ID, p.Describe())
				}
			}
			if len(ps) != len(tc.problems) {
				t.Fatalf("problems: %s\nwant %d: %v", summaries(ps), len(tc.problems), tc.problems)
			}
			for i, want := range tc.problems {
				sev, rest, _ := strings.Cut(want, ":")
				if (sev == "E") != (ps[i].Severity == Error) {
					t.Errorf("problem %d %q: severity %d", i, ps[i].Summary, ps[i].Severity)
				}
				all := ps[i].Summary + "|" + ps[i].Target + "|" + ps[i].Detail
				for _, part := range strings.Split(rest, "|") {
					if !strings.Contains(all, part) {
						t.Errorf("problem %d lacks %q:\n%s", i, part, all)
					}
				}
			}
			if ps.HasError() && pairs != nil {
				t.Errorf("an error with pairs: %v", pairIDs(pairs))
			}
		})
	}
}

// ListPairs against the simulator: the default world's pairs from its four tenant clusters, in their
// current roles; an unknown cluster and an OCP without roles stop the list.
func TestListPairs(t *testing.T) {
	t.Parallel()
	all := []int64{3000009, 3000010, 3000013, 3000014}

	t.Run("default world", func(t *testing.T) {
		t.Parallel()
		_, c := newSimClient(t)
		pairs, ps := ListPairs(t.Context(), c, PairListRequest{ClusterIDs: append(all, 3000014, 3000011)})
		if got := pairIDs(pairs); !slices.Equal(got, defaultPairs) || ps.HasError() || len(ps) != 1 {
			t.Fatalf("pairs %v, problems %s", got, summaries(ps))
		}
		if p := pairs[0]; p.Primary.Name != "ohayo_1" || p.Primary.ClusterID != 3000009 || p.Standby.Name != "ohayo_2" || p.Standby.ClusterID != 3000010 {
			t.Errorf("first pair %s", p.Describe())
		}
	})

	t.Run("after a switchover", func(t *testing.T) {
		t.Parallel()
		_, c := newSimClient(t)
		task, err := c.Switchover(t.Context(), 3000013, ocp.SwitchoverRequest{TenantID: 2000101, StandbyTenantID: 2000102})
		if err != nil {
			t.Fatal(err)
		}
		if done, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil || done.Status != ocp.TaskSuccessful {
			t.Fatalf("switchover: %+v, %v", done, err)
		}
		pairs, ps := ListPairs(t.Context(), c, PairListRequest{ClusterIDs: all, Filter: PairFilter{TenantName: "orders_p"}})
		if got := pairIDs(pairs); !slices.Equal(got, []string{"2000102>2000101"}) || len(ps) != 0 {
			t.Fatalf("pairs %v, problems %s", got, summaries(ps))
		}
	})

	t.Run("only the standbys' cluster", func(t *testing.T) {
		t.Parallel()
		_, c := newSimClient(t)
		pairs, ps := ListPairs(t.Context(), c, PairListRequest{ClusterIDs: []int64{3000014}})
		if len(pairs) != 0 || ps.HasError() || len(ps) != 6 || ps[0].Summary != "Primary tenant not in the clusters listed" {
			t.Fatalf("pairs %v, problems %s", pairIDs(pairs), summaries(ps))
		}
	})

	t.Run("unknown cluster", func(t *testing.T) {
		t.Parallel()
		_, c := newSimClient(t)
		pairs, ps := ListPairs(t.Context(), c, PairListRequest{ClusterIDs: append(all, 42)})
		if pairs != nil || len(ps) != 1 || !ps.HasError() || ps[0].Input != InputCluster || !ps[0].Config ||
			!ocp.IsNotFound(ps[0].Err) || !strings.Contains(ps[0].Detail, "cluster 42") {
			t.Fatalf("pairs %v, problems %+v", pairIDs(pairs), ps)
		}
	})

	t.Run("no roles reported", func(t *testing.T) {
		t.Parallel()
		_, c := newSimClientWith(t, ocpsim.Config{OmitTenantDRFields: true})
		pairs, ps := ListPairs(t.Context(), c, PairListRequest{ClusterIDs: all})
		if pairs != nil || len(ps) != 1 || !ps.HasError() || ps[0].Summary != "OCP does not report the tenants' roles" {
			t.Fatalf("pairs %v, problems %s", pairIDs(pairs), summaries(ps))
		}
	})
}
