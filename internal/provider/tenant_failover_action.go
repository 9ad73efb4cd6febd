package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ action.ActionWithConfigure        = (*tenantFailoverAction)(nil)
	_ action.ActionWithModifyPlan       = (*tenantFailoverAction)(nil)
	_ action.ActionWithConfigValidators = (*tenantFailoverAction)(nil)
)

// NewTenantFailoverAction returns the ocp_tenant_failover action (Terraform 1.14 and later).
func NewTenantFailoverAction() action.Action { return &tenantFailoverAction{} }

type tenantFailoverAction struct {
	client *ocp.Client
}

type tenantFailoverActionModel struct {
	ClusterID types.Int64           `tfsdk:"cluster_id"`
	Tenants   []failoverTenantModel `tfsdk:"tenants"`
	Timeouts  timeouts.Value        `tfsdk:"timeouts"`
}

// invokeTimeoutDescription describes the timeouts block of the failover actions.
const invokeTimeoutDescription = "How long to wait for the failover task(s), as a Go duration such as `60m` (the default). " +
	"When it runs out the tasks go on in OCP; invoking the action again waits for them instead of starting new ones."

func (a *tenantFailoverAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant_failover"
}

func (a *tenantFailoverAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fails over standby tenants of one OCP cluster to primary (Terraform 1.14 and later): one batch " +
			"request starts a failover task per tenant, and the action waits for all of them, reporting every subtask " +
			"transition. Failover may lose data (the plan warns, with each standby's log delay). A tenant that is already " +
			"`PRIMARY` is left alone (a progress message says so), and one whose failover task is already running is waited " +
			"on. Actions keep no state; use the `ocp_tenant_failover` resource to record the tasks, or on older Terraform " +
			"and OpenTofu.",
		Attributes: map[string]schema.Attribute{
			"cluster_id": schema.Int64Attribute{Required: true, MarkdownDescription: descFailoverClusterID, Validators: positiveID},
			"tenants":    actionFailoverTenantsAttribute(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeActionTimeouts(timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: invokeTimeoutDescription})),
		},
	}
}

func (a *tenantFailoverAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{uniqueFailoverTenants{}}
}

func (a *tenantFailoverAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan runs the same checks as the resource's plan.
func (a *tenantFailoverAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil || req.Config.Raw.IsNull() {
		return
	}
	var m tenantFailoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.ClusterID.IsUnknown() || !failoverTenantsKnown(m.Tenants) {
		return
	}
	ps := dr.PlanTenantFailover(ctx, a.client, tenantFailoverRequest(m.ClusterID.ValueInt64(), m.Tenants, nil))
	resp.Diagnostics.Append(problemDiagnostics(ps, actionTenantInput(m.Tenants))...)
}

func (a *tenantFailoverAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m tenantFailoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.Append(notConfiguredDiagnostic())
		return
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultFailoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req2 := tenantFailoverRequest(m.ClusterID.ValueInt64(), m.Tenants, nil)
	where := actionTenantInput(m.Tenants)
	checks, ps := dr.CheckTenantFailover(ctx, a.client, req2)
	resp.Diagnostics.Append(problemDiagnostics(ps, where)...)
	if ps.HasError() {
		return
	}
	rep := actionReporter{resp}
	outs, ps := dr.RunTenantFailover(ctx, a.client, req2, checks, rep)
	resp.Diagnostics.Append(problemDiagnostics(ps, where)...)
	// Last, the drill's evidence in one line: each tenant's task, times, duration and log delay before.
	if line := tenantFailoverEvidenceLine(req2.ClusterID, outs); line != "" {
		rep.Say(line)
	}
}

// actionTenantInput points a problem at the action's cluster_id or the tenants element it concerns.
func actionTenantInput(tenants []failoverTenantModel) func(dr.Problem) (path.Path, bool) {
	return func(p dr.Problem) (path.Path, bool) {
		switch p.Input {
		case dr.InputCluster:
			return path.Root("cluster_id"), true
		case dr.InputTenant:
			for i, t := range tenants {
				if t.TenantID.ValueInt64() == p.TenantID {
					return path.Root("tenants").AtListIndex(i).AtName("tenant_id"), true
				}
			}
		default:
			// Not an input of a tenant failover.
		}
		return path.Path{}, false
	}
}
