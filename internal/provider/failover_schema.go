package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
)

// Schema pieces shared by the failover resources and actions. Resources and actions have separate
// schema packages, so each piece has a builder per package; the descriptions are shared constants.

const (
	descFailoverClusterID = "ID of the OCP cluster that holds the standby tenants to fail over (the *standby's* cluster, " +
		"not the primary's)."
	descFailoverTenants = "The standby tenants to fail over, all in `cluster_id`. They are failed over with one OCP request " +
		"(one task per tenant), and their tasks are waited for concurrently. A tenant that is already `PRIMARY` through an earlier " +
		"failover is not failed over again; one whose failover task is already running is waited on. At least one tenant; each at most once."
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
	// The drill evidence (drill_evidence.go).
	taskEvidence
	LogDelayMsBefore types.Int64 `tfsdk:"log_delay_ms_before"`
}

var failoverTaskAttrTypes = map[string]attr.Type{
	"tenant_id":           types.Int64Type,
	"task_id":             types.Int64Type,
	"status":              types.StringType,
	"started_at":          types.StringType,
	"finished_at":         types.StringType,
	"duration_seconds":    types.Float64Type,
	"log_delay_ms_before": types.Int64Type,
	"subtasks":            types.ListType{ElemType: evidenceSubtaskType},
}

// failoverTaskAttributes is the schema of one element of tasks.
func failoverTaskAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"tenant_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "The tenant."},
		"task_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of its OCP failover task; null when none was " +
			"started or found (`NOT_STARTED`, `UNKNOWN`, or `ALREADY_PRIMARY` without a known task)."},
		"status": schema.StringAttribute{Computed: true, MarkdownDescription: "One of " + failoverStatusDoc},
	}
	maps.Copy(attrs, failoverEvidenceAttributes())
	return attrs
}

// failoverTaskModelFrom records how one tenant's failover ended.
func failoverTaskModelFrom(o dr.TenantOutcome) failoverTaskModel {
	m := failoverTaskModel{TenantID: types.Int64Value(o.TenantID), TaskID: types.Int64Null(), Status: types.StringValue(string(o.Status))}
	if id := o.TaskID(); id != 0 {
		m.TaskID = types.Int64Value(id)
	}
	return withFailoverEvidence(m, o.Task, o.DelayMillisBefore)
}

// tenantFailoverRequest maps the configured tenants onto the engine's request; before marks the tenants
// an earlier run of the resource failed over (nil: none, as for an action).
func tenantFailoverRequest(clusterID int64, ts []failoverTenantModel, before map[int64]bool) dr.TenantFailoverRequest {
	req := dr.TenantFailoverRequest{ClusterID: clusterID, Tenants: make([]dr.FailoverTenant, len(ts))}
	for i, t := range ts {
		req.Tenants[i] = dr.FailoverTenant{TenantID: t.TenantID.ValueInt64(), ServiceName: t.ServiceName.ValueString(),
			FailedOverBefore: before[t.TenantID.ValueInt64()]}
	}
	return req
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

// failoverTenantAttrTypes are the attributes of an element of tenants.
var failoverTenantAttrTypes = map[string]attr.Type{"tenant_id": types.Int64Type, "service_name": types.StringType}

// resourceFailoverTenantsAttribute is the resource's tenants argument: a set, so that its order does
// not matter; adding a tenant fails over that tenant alone.
func resourceFailoverTenantsAttribute() schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		Required:   true,
		CustomType: failoverTenantsType{SetType: basetypes.SetType{ElemType: types.ObjectType{AttrTypes: failoverTenantAttrTypes}}},
		MarkdownDescription: descFailoverTenants + " The order does not matter. Adding a tenant later fails over only that tenant " +
			"(an in-place update); removing one only forgets it.",
		Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"tenant_id":    schema.Int64Attribute{Required: true, MarkdownDescription: descFailoverTenantID, Validators: positiveID},
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

// validateUniqueFailoverTenants checks the resource's tenants set and the action's tenants list alike.
func validateUniqueFailoverTenants(ctx context.Context, cfg tfsdk.Config) (diags diag.Diagnostics) {
	var v attr.Value
	diags.Append(cfg.GetAttribute(ctx, path.Root("tenants"), &v)...)
	if diags.HasError() || v == nil || v.IsNull() || v.IsUnknown() {
		return diags
	}
	var (
		elems []attr.Value
		at    func(i int, e attr.Value) path.Path
		list  bool
	)
	switch c := v.(type) {
	case types.List:
		elems, list = c.Elements(), true
		at = func(i int, _ attr.Value) path.Path { return path.Root("tenants").AtListIndex(i).AtName("tenant_id") }
	case basetypes.SetValuable: // the resource's tenants, of failoverTenantsType
		set, d := c.ToSetValue(ctx)
		diags.Append(d...)
		elems = set.Elements()
		at = func(_ int, e attr.Value) path.Path { return path.Root("tenants").AtSetValue(e).AtName("tenant_id") }
	default:
		return diags
	}
	first := map[int64]int{}
	for i, e := range elems {
		obj, ok := e.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		id, ok := obj.Attributes()["tenant_id"].(types.Int64)
		if !ok || id.IsNull() || id.IsUnknown() {
			continue
		}
		if j, dup := first[id.ValueInt64()]; dup {
			where := ""
			if list {
				where = fmt.Sprintf(" (tenants[%d] and tenants[%d])", j, i)
			}
			diags.AddAttributeError(at(i, e), "Duplicate tenant in failover batch",
				fmt.Sprintf("Tenant %d is listed more than once%s. List each tenant once: OCP fails over a tenant once per batch.", id.ValueInt64(), where))
			continue
		}
		first[id.ValueInt64()] = i
	}
	return diags
}

// failoverStatusDoc documents the status values for the schemas.
const failoverStatusDoc = "`SUCCESSFUL` (the failover task succeeded and OCP reports the tenant or cluster `PRIMARY`), " +
	"`FAILED` (it failed: see the apply error), `RUNNING` (the wait ended, for example by the timeout, before the task did; " +
	"the next apply waits for it), `ALREADY_PRIMARY` (it was `PRIMARY` already through an earlier failover, so none was started), " +
	"`NOT_STARTED` (OCP refused to start it), `UNKNOWN` (the request that starts it may or may not have reached OCP and its " +
	"task list could not tell: look in OCP; the next apply looks for a running task first) or `UNCONFIRMED` (the task " +
	"succeeded, but OCP does not report the tenant or cluster `PRIMARY`, or its role could not be read: the apply fails, the " +
	"failover does not count as done, and the next apply checks it again)."

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
