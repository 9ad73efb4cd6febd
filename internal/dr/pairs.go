package dr

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Listing the primary/standby pairs OCP knows, for a team that adopts existing pairs.
//
// OCP lists the tenants of a cluster (GET /ob/clusters/{id}/tenants); each tenant carries the [assumed]
// DR fields of the tenant detail: its role (tenantRole) and, on a standby, its primary's tenant id
// (primaryTenantId), but not its primary's cluster. A pair is therefore found only when both tenants
// are in the clusters listed: a standby whose primary is not among them is reported (add the primary's
// cluster), never looked up by guessing a cluster. Where OCP reports no roles nothing is paired: roles
// are never inferred (from cluster types, names or service names).

// PairListRequest asks for the pairs among the tenants of some clusters.
type PairListRequest struct {
	// ClusterIDs are the clusters whose tenants are read; both tenants of a pair must be among them.
	ClusterIDs []int64
	// Filter keeps some of the pairs found.
	Filter PairFilter
}

// PairFilter keeps the pairs it matches; the zero filter keeps every pair.
type PairFilter struct {
	// TenantName, when set, keeps the pairs of which either tenant has exactly this name.
	TenantName string
}

// keeps reports whether the filter keeps a pair (or a tenant) of these names.
func (f PairFilter) keeps(names ...string) bool {
	return f.TenantName == "" || slices.Contains(names, f.TenantName)
}

// ListPairs reads the tenants of each cluster of req (each cluster once) and pairs them as PairTenants
// does. A cluster that cannot be read is an error (a cluster OCP does not know is a configuration
// mistake, Input InputCluster), and then no pair is returned: a partial list could be taken for all the
// pairs there are.
func ListPairs(ctx context.Context, c *ocp.Client, req PairListRequest) ([]Pair, Problems) {
	var (
		ps      Problems
		tenants []ocp.Tenant
		seen    = map[int64]bool{}
	)
	for _, id := range req.ClusterIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		ts, err := c.ListTenants(ctx, id)
		if err != nil {
			p := ps.ocpError("Error listing the tenants of a cluster", fmt.Sprintf("cluster %d", id), err)
			if ocp.IsNotFound(err) {
				p.Input, p.Config = InputCluster, true
				p.Detail = fmt.Sprintf("OCP does not know cluster %d: remove it from the clusters listed, or correct its id.", id)
			}
			continue
		}
		tenants = append(tenants, ts...)
	}
	if ps.HasError() {
		return nil, ps
	}
	pairs, more := PairTenants(tenants, req.Filter)
	return pairs, append(ps, more...)
}

// PairTenants finds the primary/standby pairs among tenants, as OCP reports them: each tenant OCP
// reports STANDBY with a primaryTenantId is paired with that primary when it is among tenants and OCP
// reports it PRIMARY. Each pair is in its current roles (Pair.Primary is the PRIMARY, so Roles is
// RolesAsDeclared), and the pairs come sorted by their tenant ids (the lower first, as the resource's
// id): the same OCP gives the same list. The filter keeps some pairs; the warnings concern only the
// tenants it keeps.
//
// What is not paired is said, never guessed: no role reported at all is an error (OCP does not send the
// DR fields, so no pair can be told); a tenant with no role, a standby with no primary reported, a
// standby whose primary is not among tenants (its cluster not listed) or is not PRIMARY (a cascaded
// standby) are warnings. A primary with several standbys gives one pair per standby, with a warning:
// switching one pair over turns the others' primary into a standby.
func PairTenants(tenants []ocp.Tenant, filter PairFilter) ([]Pair, Problems) {
	var ps Problems
	byID := make(map[int64]ocp.Tenant, len(tenants))
	var ordered []ocp.Tenant
	for _, t := range tenants {
		if _, dup := byID[t.ID]; dup {
			continue
		}
		byID[t.ID] = t
		ordered = append(ordered, t)
	}
	slices.SortFunc(ordered, func(a, b ocp.Tenant) int { return cmp.Compare(a.ID, b.ID) })

	var roleless []ocp.Tenant
	for _, t := range ordered {
		if !t.RoleKnown() {
			roleless = append(roleless, t)
		}
	}
	if len(ordered) > 0 && len(roleless) == len(ordered) {
		ps.add(Error, "OCP does not report the tenants' roles", fmt.Sprintf("the %d tenants of the clusters listed", len(ordered)),
			"OCP lists these tenants without a tenant role (no tenantRole field) or a standby's primary (primaryTenantId): this OCP "+
				"version does not report which tenants form a pair, or which of the two is PRIMARY, and the provider does not guess "+
				"it (see the provider's API compatibility guide). Import each pair by its ids instead: "+
				"<cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>.")
		return nil, ps
	}
	if kept := keptTenants(roleless, filter); len(kept) > 0 {
		ps.add(Warning, "OCP reports no role for some tenants", labels(kept),
			fmt.Sprintf("OCP does not say whether %s %s PRIMARY or STANDBY, and the provider does not guess it: they are left out "+
				"of the pairs. A pair one of them belongs to is not listed; import it by its ids.", labels(kept), isAre(len(kept))))
	}

	var pairs []Pair
	standbysOf := map[int64][]ocp.Tenant{}
	for _, s := range ordered {
		if s.Role != ocp.RoleStandby {
			continue
		}
		p, listed := byID[s.PrimaryTenantID]
		switch {
		case s.PrimaryTenantID == 0:
			if filter.keeps(s.Name) {
				ps.add(Warning, "Standby tenant without a reported primary", Label(s),
					fmt.Sprintf("OCP reports %s STANDBY but not its primary (primaryTenantId): its pair is not listed. Import it by its ids.", Label(s)))
			}
		case !listed:
			if filter.keeps(s.Name) {
				ps.add(Warning, "Primary tenant not in the clusters listed", Label(s),
					fmt.Sprintf("OCP reports %s as a standby of tenant %d, which is not a tenant of the clusters listed: "+
						"OCP does not say which cluster holds a standby's primary, and the provider does not look for it. "+
						"Add the cluster of tenant %d to the clusters listed to list this pair.", Label(s), s.PrimaryTenantID, s.PrimaryTenantID))
			}
		case p.Role != ocp.RolePrimary:
			if p.RoleKnown() && filter.keeps(s.Name, p.Name) {
				ps.add(Warning, "Standby of a tenant that is not PRIMARY", Label(s),
					fmt.Sprintf("OCP reports %s as a standby of %s, which it reports %s (a cascaded standby): the two are not "+
						"listed as a pair, since ocp_tenant_switchover declares a PRIMARY and its STANDBY.", Label(s), Label(p), p.Role))
			}
		case filter.keeps(p.Name, s.Name):
			pairs = append(pairs, Pair{Primary: p, Standby: s})
			standbysOf[p.ID] = append(standbysOf[p.ID], s)
		}
	}

	for _, p := range ordered {
		ss := standbysOf[p.ID]
		if len(ss) < 2 {
			continue
		}
		ps.add(Warning, "Primary tenant with several standbys", Label(p),
			fmt.Sprintf("OCP reports %d standbys of %s: %s. Each is listed as a pair of its own. A switchover of one of "+
				"them makes the primary a standby of the new primary, and the other pairs' roles then hold no more "+
				"(two standbys): declare only the pair you switch over.", len(ss), Label(p), labels(ss)))
	}

	slices.SortFunc(pairs, func(a, b Pair) int {
		alo, ahi := minMax(a.Primary.ID, a.Standby.ID)
		blo, bhi := minMax(b.Primary.ID, b.Standby.ID)
		return cmp.Or(cmp.Compare(alo, blo), cmp.Compare(ahi, bhi))
	})
	return pairs, ps
}

func minMax(a, b int64) (int64, int64) { return min(a, b), max(a, b) }

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// keptTenants returns the tenants the filter keeps by their own name.
func keptTenants(ts []ocp.Tenant, filter PairFilter) []ocp.Tenant {
	var out []ocp.Tenant
	for _, t := range ts {
		if filter.keeps(t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// labels names tenants for people, joined by commas.
func labels(ts []ocp.Tenant) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = Label(t)
	}
	return strings.Join(out, ", ")
}
