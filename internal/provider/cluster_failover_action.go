package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ action.ActionWithConfigure  = (*clusterFailoverAction)(nil)
	_ action.ActionWithModifyPlan = (*clusterFailoverAction)(nil)
)

// NewClusterFailoverAction returns the ocp_cluster_failover action (Terraform 1.14 and later).
func NewClusterFailoverAction() action.Action { return &clusterFailoverAction{} }

type clusterFailoverAction struct {
	client *ocp.Client
}

type clusterFailoverActionModel struct {
	ClusterID types.Int64    `tfsdk:"cluster_id"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (a *clusterFailoverAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_failover"
}

func (a *clusterFailoverAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fails a standby OCP cluster over to primary (Terraform 1.14 and later) and waits for the task, " +
			"reporting every subtask transition. Failover may lose data (the plan warns). A cluster that is already " +
			"`PRIMARY` is left alone (a progress message says so), and a failover task already running is waited on. " +
			"Actions keep no state; use the `ocp_cluster_failover` resource to record the task, or on older Terraform and OpenTofu.",
		Attributes: map[string]schema.Attribute{
			"cluster_id": schema.Int64Attribute{Required: true, MarkdownDescription: descClusterFailoverID, Validators: positiveID},
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeActionTimeouts(timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: invokeTimeoutDescription})),
		},
	}
}

func (a *clusterFailoverAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan runs the same checks as the resource's plan.
func (a *clusterFailoverAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil || req.Config.Raw.IsNull() {
		return
	}
	var m clusterFailoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.ClusterID.IsUnknown() {
		return
	}
	ps := dr.PlanClusterFailover(ctx, a.client, dr.ClusterFailoverRequest{ClusterID: m.ClusterID.ValueInt64()})
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
}

func (a *clusterFailoverAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m clusterFailoverActionModel
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

	check, ps := dr.CheckClusterFailover(ctx, a.client, dr.ClusterFailoverRequest{ClusterID: m.ClusterID.ValueInt64()})
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
	if ps.HasError() {
		return
	}
	rep := actionReporter{resp}
	out, ps := dr.RunClusterFailover(ctx, a.client, check, rep)
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
	// Last, the drill's evidence in one line: the task, times, duration and the cluster's delay before.
	if line := clusterFailoverEvidenceLine(dr.ClusterTarget(check.Cluster), out); line != "" {
		rep.Say(line)
	}
}
