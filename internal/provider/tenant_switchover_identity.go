package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
)

// The resource identity of ocp_tenant_switchover (Terraform >= 1.12): the pair as its two tenants, each
// {cluster id, tenant id}, the one with the lower tenant id first, as in the resource id. It names the
// pair, not the roles, so it stays the same when a switchover swaps them; a different pair is a
// different resource (replaced, never updated). Older Terraform ignores it.

// Identity attribute names.
const (
	identityFirstCluster  = "first_cluster_id"
	identityFirstTenant   = "first_tenant_id"
	identitySecondCluster = "second_cluster_id"
	identitySecondTenant  = "second_tenant_id"
)

var _ resource.ResourceWithIdentity = (*tenantSwitchoverResource)(nil)

// IdentitySchema is the pair: two tenants, ordered by tenant id.
func (r *tenantSwitchoverResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = switchoverIdentitySchema()
}

func switchoverIdentitySchema() identityschema.Schema {
	attr := func(desc string) identityschema.Int64Attribute {
		return identityschema.Int64Attribute{RequiredForImport: true, Description: desc}
	}
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		identityFirstCluster:  attr("ID of the OCP cluster that holds the first tenant of the pair (the one with the lower tenant id)."),
		identityFirstTenant:   attr("ID of the first tenant of the pair: the lower of the two tenant ids."),
		identitySecondCluster: attr("ID of the OCP cluster that holds the second tenant of the pair."),
		identitySecondTenant:  attr("ID of the second tenant of the pair: the higher of the two tenant ids."),
	}}
}

// pairIdentity is the identity of the pair of a and b, in either order, as a value of sch's type.
func pairIdentity(ctx context.Context, sch schemaType, a, b dr.TenantRef) tftypes.Value {
	if b.TenantID < a.TenantID {
		a, b = b, a
	}
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n)) }
	return tftypes.NewValue(sch.Type().TerraformType(ctx), map[string]tftypes.Value{
		identityFirstCluster: num(a.ClusterID), identityFirstTenant: num(a.TenantID),
		identitySecondCluster: num(b.ClusterID), identitySecondTenant: num(b.TenantID),
	})
}

// setPairIdentity writes the identity of the pair of a and b into identity; nil (no identity to write)
// is left alone.
func setPairIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, a, b dr.TenantRef) diag.Diagnostics {
	if identity == nil || identity.Schema == nil {
		return nil
	}
	return identity.Set(ctx, pairIdentity(ctx, identity.Schema, a, b))
}

// setIdentityFromState writes the identity of the pair a state holds (nothing when the state is gone:
// the resource was removed, or never created).
func setIdentityFromState(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || state.Raw.IsNull() {
		return nil
	}
	m, diags := getSwitchover(ctx, state.Schema, state.Raw)
	if diags.HasError() {
		return diags
	}
	a, b, ok, d := m.pairRefs(ctx)
	diags.Append(d...)
	if diags.HasError() || !ok {
		return diags
	}
	return setPairIdentity(ctx, identity, a, b)
}

// parsePairIdentity reads an import block's identity: both tenants' ids, positive, of two tenants (in
// either order: the identity written back is ordered).
func parsePairIdentity(identity tfsdk.ResourceIdentity) (dr.TenantRef, dr.TenantRef, error) {
	var vals map[string]tftypes.Value
	if err := identity.Raw.As(&vals); err != nil {
		return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("the identity is not an object: %w", err)
	}
	get := func(name string) (int64, error) {
		v, ok := vals[name]
		if !ok || v.IsNull() || !v.IsKnown() {
			return 0, fmt.Errorf("%s is not set", name)
		}
		var f big.Float
		if err := v.As(&f); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		n, acc := f.Int64()
		if acc != big.Exact || n < 1 {
			return 0, fmt.Errorf("%s must be a positive integer, got %s", name, f.Text('g', -1))
		}
		return n, nil
	}
	var ids [4]int64
	for i, name := range []string{identityFirstCluster, identityFirstTenant, identitySecondCluster, identitySecondTenant} {
		n, err := get(name)
		if err != nil {
			return dr.TenantRef{}, dr.TenantRef{}, err
		}
		ids[i] = n
	}
	a, b := dr.TenantRef{ClusterID: ids[0], TenantID: ids[1]}, dr.TenantRef{ClusterID: ids[2], TenantID: ids[3]}
	if a.TenantID == b.TenantID {
		return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("the two tenants must differ, got tenant %d twice", a.TenantID)
	}
	return a, b, nil
}

// importTarget is the pair an import names: by its string id, or (Terraform >= 1.12) by its identity.
func importTarget(req resource.ImportStateRequest) (dr.TenantRef, dr.TenantRef, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		a, b, err := parsePairIdentity(*req.Identity)
		if err != nil {
			diags.AddError("Invalid import identity",
				fmt.Sprintf("%v.\n\nImport an ocp_tenant_switchover by identity with both tenants: %s and %s, %s and %s "+
					"(for example 3000009, 2000022, 3000010 and 2000025).", err,
					identityFirstCluster, identityFirstTenant, identitySecondCluster, identitySecondTenant))
		}
		return a, b, diags
	}
	a, b, err := parsePairID(req.ID)
	if err != nil {
		diags.AddError("Invalid import id",
			fmt.Sprintf("%v.\n\nImport an ocp_tenant_switchover by both tenants, as <cluster_id>/<tenant_id>,<cluster_id>/<tenant_id> "+
				"(for example 3000009/2000022,3000010/2000025), in either order.", err))
	}
	return a, b, diags
}
