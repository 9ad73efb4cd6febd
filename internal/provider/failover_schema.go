package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Schema pieces shared by the failover resources and actions. Resources and actions have separate
// schema packages, so each piece has a builder per package; the descriptions are shared constants.

const (
	descFailoverClusterID = "ID of the OCP cluster that holds the standby tenants to fail over (the *standby's* cluster, " +
		"not the primary's)."
	descFailoverTenants = "The standby tenants to fail over, all in `cluster_id`. They are failed over with one OCP request " +
		"(one task per tenant), and their tasks are waited for concurrently. A tenant that is already `PRIMARY` is not failed " +
		"over again; one whose failover task is already running is waited on. At least one tenant; each at most once."
	descFailoverTenantID    = "ID of a standby tenant of `cluster_id`."
	descFailoverServiceName = "Service name to create for the tenant once it is primary (OCP's `serviceName`); omit to let OCP decide."
	descClusterFailoverID   = "ID of the standby OCP cluster to fail over to primary."
)

// failoverTenantModel is one element of tenants.
type failoverTenantModel struct {
	TenantID    types.Int64  `tfsdk:"tenant_id"`
	ServiceName types.String `tfsdk:"service_name"`
}

// failoverTaskModel is one element of the resource's computed tasks.
type failoverTaskModel struct {
	TenantID types.Int64  `tfsdk:"tenant_id"`
	TaskID   types.Int64  `tfsdk:"task_id"`
	Status   types.String `tfsdk:"status"`
}

var failoverTaskAttrTypes = map[string]attr.Type{
	"tenant_id": types.Int64Type,
	"task_id":   types.Int64Type,
	"status":    types.StringType,
}

// failoverTenantsKnown reports whether every tenant id is known, so that the plan-time checks can run.
func failoverTenantsKnown(ts []failoverTenantModel) bool {
	for _, t := range ts {
		if t.TenantID.IsUnknown() || t.TenantID.IsNull() || t.ServiceName.IsUnknown() {
			return false
		}
	}
	return true
}

// failoverSpecs maps the configured tenants onto the orchestration's input.
func failoverSpecs(ts []failoverTenantModel) []failoverTenantSpec {
	out := make([]failoverTenantSpec, len(ts))
	for i, t := range ts {
		out[i] = failoverTenantSpec{TenantID: t.TenantID.ValueInt64(), ServiceName: t.ServiceName.ValueString()}
	}
	return out
}

// resourceFailoverTenantsAttribute is the resource's tenants argument: replacing it runs the failover again.
func resourceFailoverTenantsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Required:            true,
		MarkdownDescription: descFailoverTenants + " Changing it replaces the resource, which runs the failover again.",
		Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
		PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"tenant_id": schema.Int64Attribute{
				Required: true, MarkdownDescription: descFailoverTenantID, Validators: positiveID,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"service_name": schema.StringAttribute{Optional: true, MarkdownDescription: descFailoverServiceName},
		}},
	}
}

// actionFailoverTenantsAttribute is the action's tenants argument.
func actionFailoverTenantsAttribute() actionschema.ListNestedAttribute {
	return actionschema.ListNestedAttribute{
		Required:            true,
		MarkdownDescription: descFailoverTenants,
		Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
		NestedObject: actionschema.NestedAttributeObject{Attributes: map[string]actionschema.Attribute{
			"tenant_id":    actionschema.Int64Attribute{Required: true, MarkdownDescription: descFailoverTenantID, Validators: positiveID},
			"service_name": actionschema.StringAttribute{Optional: true, MarkdownDescription: descFailoverServiceName},
		}},
	}
}

// uniqueFailoverTenants rejects a batch that lists a tenant more than once (OCP would refuse it). It
// compares tenant ids only, so two entries for one tenant with different service names are caught too.
type uniqueFailoverTenants struct{}

var (
	_ resource.ConfigValidator = uniqueFailoverTenants{}
	_ action.ConfigValidator   = uniqueFailoverTenants{}
)

func (uniqueFailoverTenants) Description(ctx context.Context) string {
	return "each tenant_id appears at most once in tenants"
}

func (v uniqueFailoverTenants) MarkdownDescription(ctx context.Context) string {
	return "each `tenant_id` appears at most once in `tenants`"
}

func (uniqueFailoverTenants) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateUniqueFailoverTenants(ctx, req.Config)...)
}

func (uniqueFailoverTenants) ValidateAction(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateUniqueFailoverTenants(ctx, req.Config)...)
}

func validateUniqueFailoverTenants(ctx context.Context, cfg tfsdk.Config) (diags diag.Diagnostics) {
	var list types.List
	diags.Append(cfg.GetAttribute(ctx, path.Root("tenants"), &list)...)
	if diags.HasError() || list.IsNull() || list.IsUnknown() {
		return diags
	}
	var tenants []failoverTenantModel
	diags.Append(list.ElementsAs(ctx, &tenants, false)...)
	if diags.HasError() {
		return diags
	}
	first := map[int64]int{}
	for i, t := range tenants {
		if t.TenantID.IsNull() || t.TenantID.IsUnknown() {
			continue
		}
		id := t.TenantID.ValueInt64()
		if j, dup := first[id]; dup {
			diags.AddAttributeError(path.Root("tenants").AtListIndex(i).AtName("tenant_id"), "Duplicate tenant in failover batch",
				fmt.Sprintf("Tenant %d is listed more than once (tenants[%d] and tenants[%d]). List each tenant once: OCP fails "+
					"over a tenant once per batch.", id, j, i))
			continue
		}
		first[id] = i
	}
	return diags
}

// timeoutsBlockDescription describes the timeouts block of the failover and switchover types.
const timeoutsBlockDescription = "Time limit of waiting for the OCP task(s). When it runs out the tasks go on in OCP; " +
	"the next run waits for them instead of starting new ones."

// describeResourceTimeouts gives framework-timeouts' block (which has no description of its own) one.
func describeResourceTimeouts(b schema.Block) schema.Block {
	if nb, ok := b.(schema.SingleNestedBlock); ok {
		nb.MarkdownDescription = timeoutsBlockDescription
		return nb
	}
	return b
}

// describeActionTimeouts is describeResourceTimeouts for actions.
func describeActionTimeouts(b actionschema.Block) actionschema.Block {
	if nb, ok := b.(actionschema.SingleNestedBlock); ok {
		nb.MarkdownDescription = timeoutsBlockDescription
		return nb
	}
	return b
}
