package provider

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ resource.ResourceWithConfigure  = (*clusterFailoverResource)(nil)
	_ resource.ResourceWithModifyPlan = (*clusterFailoverResource)(nil)
)

// NewClusterFailoverResource returns the ocp_cluster_failover resource.
func NewClusterFailoverResource() resource.Resource { return &clusterFailoverResource{} }

type clusterFailoverResource struct {
	client *ocp.Client
}

type clusterFailoverResourceModel struct {
	ID          types.String   `tfsdk:"id"`
	ClusterID   types.Int64    `tfsdk:"cluster_id"`
	Triggers    types.Map      `tfsdk:"triggers"`
	TaskID      types.Int64    `tfsdk:"task_id"`
	Status      types.String   `tfsdk:"status"`
	CompletedAt types.String   `tfsdk:"completed_at"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
	// The drill evidence (drill_evidence.go).
	taskEvidence
	DelaySecondsBefore types.Float64 `tfsdk:"delay_seconds_before"`
}

func (r *clusterFailoverResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_failover"
}

func (r *clusterFailoverResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fails a standby OCP cluster over to primary, as a one-shot operation: **creating** the resource " +
			"runs OCP's cluster failover and waits for its task. Failover is an emergency operation that may lose data (the " +
			"plan warns).\n\n" +
			"It is idempotent: a cluster that is already `PRIMARY` through an earlier failover is not failed over again " +
			"(`status = \"ALREADY_PRIMARY\"`), and a failover task already running is waited on; a `PRIMARY` cluster that never was " +
			"a standby is an error. A cluster status that looks odd (`OPERATING`, say) is a warning: OCP decides. A failed task fails the apply; the tainted resource is " +
			"replaced by the next apply, which attaches to the task if it was retried in OCP or starts a new failover. Changing " +
			"any argument replaces the resource, which runs the failover again. **Destroying** the resource calls no OCP API: " +
			"roles stay as they are and the resource is only removed from the state. On Terraform 1.14 and later, the " +
			"`ocp_cluster_failover` action does the same without keeping state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The cluster id, as a string.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"cluster_id": schema.Int64Attribute{
				Required:            true,
				MarkdownDescription: descClusterFailoverID + " Changing it replaces the resource, which runs the failover again.",
				Validators:          positiveID,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary strings; any change replaces the resource, which runs the failover again. " +
					"The provider does not send them to OCP.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"task_id": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "ID of the OCP failover task; null when none was started (the cluster was already `PRIMARY`).",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "One of " + failoverStatusDoc + " Refreshing reads the task's current status from OCP (a task " +
					"that has ended `SUCCESSFUL` since it was recorded is confirmed by reading the cluster's type: `SUCCESSFUL` or " +
					"`UNCONFIRMED`); the evidence (`started_at`, `finished_at`, `duration_seconds`, `delay_seconds_before`, `subtasks`) stays as recorded, " +
					"except that a refresh completes that of a task recorded `RUNNING`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"completed_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the failover ended (RFC 3339, UTC), as the apply or refresh that found it ended saw it; " +
					"null while its task may still be running (`RUNNING`, `UNKNOWN`), also when a failed task is retried in OCP.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeResourceTimeouts(timeouts.Block(ctx, timeouts.Opts{
				Create: true,
				CreateDescription: "How long to wait for the failover task, as a Go duration such as `60m` (the default). When it " +
					"runs out the task goes on in OCP; the next apply waits for it instead of starting another. Changing it does not " +
					"run the failover again.",
			})),
		},
	}
	maps.Copy(resp.Schema.Attributes, clusterEvidenceAttributes())
}

func (r *clusterFailoverResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks the cluster when the failover is about to run (create or replace).
func (r *clusterFailoverResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() || r.client == nil {
		return
	}
	var m clusterFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.ClusterID.IsUnknown() {
		return
	}
	ps := dr.PlanClusterFailover(ctx, r.client, dr.ClusterFailoverRequest{ClusterID: m.ClusterID.ValueInt64()})
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
}

func (r *clusterFailoverResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m clusterFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Create(ctx, defaultFailoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	check, ps := dr.CheckClusterFailover(ctx, r.client, dr.ClusterFailoverRequest{ClusterID: m.ClusterID.ValueInt64()})
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
	if ps.HasError() {
		return
	}
	out, ps := dr.RunClusterFailover(ctx, r.client, check, logReporter{ctx})
	resp.Diagnostics.Append(problemDiagnostics(ps, clusterInput)...)
	if out.Status == dr.FailoverNotStarted {
		return // nothing started, nothing to record
	}
	// Recorded even when the task failed: the state is then tainted and the next apply replaces it.
	m.ID = types.StringValue(fmt.Sprint(m.ClusterID.ValueInt64()))
	m.TaskID = types.Int64Null()
	if out.Task != nil {
		m.TaskID = types.Int64Value(out.Task.ID)
	}
	m.Status = types.StringValue(string(out.Status))
	m.CompletedAt = types.StringNull()
	if out.Status.Ended() {
		m.CompletedAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	}
	m = withClusterEvidence(m, out)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// clusterInput points a problem at cluster_id.
func clusterInput(p dr.Problem) (path.Path, bool) {
	return path.Root("cluster_id"), p.Input == dr.InputCluster
}

// Read refreshes the task's status (a task OCP no longer knows keeps its last status), and completed_at
// with it.
func (r *clusterFailoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m clusterFailoverResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.TaskID.IsNull() || m.TaskID.IsUnknown() {
		return
	}
	clusterID, taskID := m.ClusterID.ValueInt64(), m.TaskID.ValueInt64()
	status, task, diags := refreshTaskStatus(ctx, r.client, taskID, m.Status.ValueString(), func() (dr.FailoverStatus, error) {
		return dr.ConfirmClusterFailover(ctx, r.client, clusterID, taskID)
	}, fmt.Sprintf("cluster %d", clusterID))
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	m.taskEvidence = m.completedBy(m.Status, m.TaskID, task)
	m.Status = types.StringValue(status)
	m.CompletedAt = completedAt(m.CompletedAt, dr.FailoverStatus(status).Ended())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update only happens when the timeouts block changes: every other argument replaces the resource.
func (r *clusterFailoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m clusterFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete calls no API: a failover cannot be undone, and the roles stay as they are.
func (r *clusterFailoverResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
