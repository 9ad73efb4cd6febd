package dr

import (
	"context"
	"fmt"
	"strings"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// TenantRef names one tenant: the cluster that holds it and its id.
type TenantRef struct{ ClusterID, TenantID int64 }

func (r TenantRef) String() string {
	return fmt.Sprintf("tenant %d of cluster %d", r.TenantID, r.ClusterID)
}

// RefOf is the reference of a tenant OCP reported.
func RefOf(t ocp.Tenant) TenantRef { return TenantRef{ClusterID: t.ClusterID, TenantID: t.ID} }

// Roles classifies what OCP reports for a pair against the roles wanted.
type Roles int

const (
	// RolesAsDeclared: the desired primary is PRIMARY and the desired standby STANDBY.
	RolesAsDeclared Roles = iota
	// RolesSwapped: the desired primary is STANDBY and the desired standby PRIMARY; a switchover fixes it.
	RolesSwapped
	// RolesInconsistent: anything else (two primaries after a failover, two standbys); no switchover
	// can fix it.
	RolesInconsistent
	// RolesUnknown: OCP does not report a tenant's role (see ocp.MissingRoleError).
	RolesUnknown
)

// Pair is what OCP reports for the two tenants of a pair, in the order the caller wants them.
type Pair struct {
	// Primary is the tenant that should be PRIMARY, Standby the one that should be STANDBY.
	Primary, Standby ocp.Tenant
}

// Roles classifies the pair.
func (p Pair) Roles() Roles {
	switch {
	case !p.Primary.RoleKnown() || !p.Standby.RoleKnown():
		return RolesUnknown
	case p.Primary.Role == ocp.RolePrimary && p.Standby.Role == ocp.RoleStandby:
		return RolesAsDeclared
	case p.Primary.Role == ocp.RoleStandby && p.Standby.Role == ocp.RolePrimary:
		return RolesSwapped
	default:
		return RolesInconsistent
	}
}

// Current returns the pair in the roles OCP reports now: (primary, standby). Only meaningful when the
// roles are as declared or swapped.
func (p Pair) Current() (primary, standby ocp.Tenant) {
	if p.Roles() == RolesSwapped {
		return p.Standby, p.Primary
	}
	return p.Primary, p.Standby
}

// busy returns the tenants whose status is not NORMAL (MODIFYING while a task changes them, …).
func (p Pair) busy() []ocp.Tenant {
	var out []ocp.Tenant
	for _, t := range []ocp.Tenant{p.Primary, p.Standby} {
		if t.Status != ocp.TenantNormal {
			out = append(out, t)
		}
	}
	return out
}

// Describe says what OCP reports for both tenants, e.g.
// `ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY and NORMAL; ohayo_2 (…) is STANDBY and MODIFYING`.
func (p Pair) Describe() string {
	return describeTenant(p.Primary) + "; " + describeTenant(p.Standby)
}

func describeTenant(t ocp.Tenant) string {
	role := string(t.Role)
	if role == "" {
		role = "of no reported role"
	}
	return fmt.Sprintf("%s is %s and %s", Label(t), role, t.Status)
}

// Label names a tenant for people: `ohayo_1 (tenant 2000022 of cluster 3000009)`.
func Label(t ocp.Tenant) string {
	if t.Name == "" {
		return RefOf(t).String()
	}
	return fmt.Sprintf("%s (%s)", t.Name, RefOf(t))
}

// inputOf is the setting that names a tenant of the pair: InputPrimary for the desired primary,
// InputStandby otherwise.
func (p Pair) inputOf(tenantID int64) Input {
	if tenantID == p.Primary.ID {
		return InputPrimary
	}
	return InputStandby
}

// ReadPair reads both tenants from OCP. Errors are the client's, unchanged, so that callers can test
// ocp.IsNotFound (a resource forgets a pair whose tenant is gone).
func ReadPair(ctx context.Context, c *ocp.Client, primary, standby TenantRef) (Pair, error) {
	p, err := c.GetTenant(ctx, primary.ClusterID, primary.TenantID)
	if err != nil {
		return Pair{}, err
	}
	s, err := c.GetTenant(ctx, standby.ClusterID, standby.TenantID)
	if err != nil {
		return Pair{}, err
	}
	// OCP's detail may leave out the cluster id it was asked by; keep the one asked.
	if p.ClusterID == 0 {
		p.ClusterID = primary.ClusterID
	}
	if s.ClusterID == 0 {
		s.ClusterID = standby.ClusterID
	}
	return Pair{Primary: *p, Standby: *s}, nil
}

// readPairProblem is the problem of a ReadPair error. The tenants are named without roles: the roles
// asked for may not be the ones OCP reports.
func readPairProblem(primary, standby TenantRef, err error) Problem {
	return Problem{Severity: Error, Summary: "Error reading the tenants of the switchover",
		Target: fmt.Sprintf("%s and %s", primary, standby), Err: err}
}

// pairProblem explains why no switchover can bring a pair to the desired roles: a role OCP does not
// report, the two tenants not a pair, roles no switchover can fix, or a tenant busy in another task.
// Nil when a switchover may start (or none is needed).
func pairProblem(pair Pair) *Problem {
	switch pair.Roles() {
	case RolesUnknown:
		t := pair.Primary
		if t.RoleKnown() {
			t = pair.Standby
		}
		return &Problem{Severity: Error, Summary: "OCP does not report the tenants' roles", Target: Label(t),
			Err: &ocp.MissingRoleError{ClusterID: t.ClusterID, TenantID: t.ID, Name: t.Name}}
	case RolesInconsistent:
		hint := "Bring the pair back to one PRIMARY and one STANDBY in OCP, or change the configuration to the tenants you mean, then plan again."
		switch {
		case pair.Primary.Role == ocp.RolePrimary && pair.Standby.Role == ocp.RolePrimary:
			hint = "Two primaries usually follow a failover: the old primary was not demoted. Rebuild the standby relation in OCP " +
				"(or remove this pair from the configuration), then plan again. A switchover cannot resolve it."
		case pair.Primary.Role == ocp.RoleStandby && pair.Standby.Role == ocp.RoleStandby:
			hint = "Neither tenant is PRIMARY, so there is nothing to switch over from. Fix the pair in OCP, then plan again."
		}
		return &Problem{Severity: Error, Summary: "Tenant roles are neither as declared nor swapped",
			Detail: fmt.Sprintf("OCP reports: %s.\n\nA switchover needs one PRIMARY and one STANDBY. %s", pair.Describe(), hint)}
	default:
		// As declared or swapped: the pair itself is sound; what follows checks the tenants.
	}
	if p := notAPair(pair); p != nil {
		return p
	}
	if busy := pair.busy(); len(busy) > 0 {
		names := make([]string, len(busy))
		for i, t := range busy {
			names[i] = describeTenant(t)
		}
		return &Problem{Severity: Error, Summary: "Tenant busy in another operation",
			Detail: fmt.Sprintf("OCP reports: %s.\n\nNo switchover of this pair is running, so another OCP task is changing the tenant. "+
				"Wait for it to end in OCP, then plan again.", strings.Join(names, "; "))}
	}
	return nil
}

// notAPair reports two tenants of which the standby is a standby of a third tenant: no switchover of
// the two is possible, and the configuration names the wrong partner. It needs OCP to report the
// standby's primary ([assumed] primaryTenantId); without it the precheck decides. The problem concerns
// the setting that names the current standby: standby when the roles are as declared, primary when the
// configuration asks to switch them.
func notAPair(pair Pair) *Problem {
	primary, standby := pair.Current()
	if standby.PrimaryTenantID == 0 || standby.PrimaryTenantID == primary.ID {
		return nil
	}
	return &Problem{Severity: Error, Summary: "The two tenants are not a primary/standby pair", Input: pair.inputOf(standby.ID), Config: true,
		Detail: fmt.Sprintf("OCP reports %s as a standby of tenant %d, not of %s. The configuration names two tenants that do not "+
			"replicate to each other: set primary and standby to the two tenants of one pair.", Label(standby), standby.PrimaryTenantID, Label(primary))}
}
