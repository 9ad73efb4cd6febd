package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ resource.ResourceWithConfigure        = (*tenantFailoverResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*tenantFailoverResource)(nil)
	_ resource.ResourceWithConfigValidators = (*tenantFailoverResource)(nil)
)

// defaultFailoverTimeout bounds the wait for failover tasks when no timeouts block says otherwise.
const defaultFailoverTimeout = 60 * time.Minute

// NewTenantFailoverResource returns the ocp_tenant_failover resource.
func NewTenantFailoverResource() resource.Resource { return &tenantFailoverResource{} }

type tenantFailoverResource struct {
	client *ocp.Client
}

type tenantFailoverResourceModel struct {
	ID          types.String          `tfsdk:"id"`
	ClusterID   types.Int64           `tfsdk:"cluster_id"`
	Tenants     []failoverTenantModel `tfsdk:"tenants"`
	Triggers    types.Map             `tfsdk:"triggers"`
	Tasks       types.List            `tfsdk:"tasks"`
	CompletedAt types.String          `tfsdk:"completed_at"`
	Timeouts    timeouts.Value        `tfsdk:"timeouts"`
}

func (r *tenantFailoverResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant_failover"
}

func (r *tenantFailoverResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Fails over standby tenants of one OCP cluster to primary, as a one-shot operation: **creating** " +
			"the resource runs OCP's batch tenant failover (one request, one task per tenant) and waits for every task, then " +
			"reads each tenant to confirm it is `PRIMARY`. Failover is an emergency operation that may lose data (the plan " +
			"warns, with each standby's log delay); OCP itself refuses it while the standby's primary is alive. Prefer " +
			"`ocp_tenant_switchover` while the primary is healthy.\n\n" +
			"`tenants` is a set: its order does not matter. **Adding** a tenant later fails over only that tenant (an " +
			"in-place update); removing one forgets it (no API call). A tenant that is already `PRIMARY` through an earlier " +
			"failover is not failed over again, and one whose failover task is already running is waited on; a tenant that is " +
			"`PRIMARY` without ever having been failed over is an error (it is not a standby). A tenant's odd status " +
			"(`MODIFYING`, say) is a warning: OCP decides. When some tenants fail, the others are recorded in `tasks` and the " +
			"apply fails naming the failed ones; the next apply fails over only what is left. Re-running the whole batch (a " +
			"repeated drill) goes through `triggers` or a new `cluster_id`, which replace the resource. **Destroying** the " +
			"resource calls no OCP API: roles stay as they are. On Terraform 1.14 and later, the `ocp_tenant_failover` action " +
			"does the same without keeping state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<cluster_id>/<tenant_id>[,<tenant_id>…]`, the tenants sorted by id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"cluster_id": schema.Int64Attribute{
				Required:            true,
				MarkdownDescription: descFailoverClusterID + " Changing it replaces the resource, which runs the failover again.",
				Validators:          positiveID,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"tenants": resourceFailoverTenantsAttribute(),
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary strings; any change replaces the resource, which runs the failover of every tenant again " +
					"(for example `{ drill = \"2026-11-21\" }` for a repeated drill). The provider does not send them to OCP.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"tasks": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "One element per tenant of `tenants`, sorted by tenant id: its failover task and status, and " +
					"the drill's evidence (when the task started and ended, how long it took, the standby's log delay just before " +
					"the failover, the subtasks). Refreshing reads each task's current status from OCP; a task that has ended " +
					"`SUCCESSFUL` since it was recorded is confirmed by reading the tenant's role (`SUCCESSFUL` when OCP reports it " +
					"`PRIMARY`, else `UNCONFIRMED`). The evidence stays as recorded (a refresh only completes that of a task recorded " +
					"`RUNNING`), also for tenants failed over by an earlier apply when tenants are added.",
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject:  schema.NestedAttributeObject{Attributes: failoverTaskAttributes()},
			},
			"completed_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When every failover in `tasks` had ended (RFC 3339, UTC): the end of the run, or the refresh, " +
					"that found the last one ended. Null while a task may still be running (`RUNNING` or `UNKNOWN`), also when a " +
					"failed task is retried in OCP.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeResourceTimeouts(timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true,
				CreateDescription: "How long to wait for the failover tasks, as a Go duration such as `60m` (the default). When it " +
					"runs out the tasks go on in OCP; the next apply waits for them instead of starting new ones. Changing it does not " +
					"run the failover again.",
				UpdateDescription: "How long to wait for the failover of tenants added to `tenants`, as a Go duration (default `60m`).",
			})),
		},
	}
}

func (r *tenantFailoverResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{uniqueFailoverTenants{}}
}

func (r *tenantFailoverResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks the tenants a failover is about to run for: all of them on create (or replace:
// Terraform plans a replacement as a create with no prior state), the tenants added on update. The plan
// carries the data-loss warning. On update, tasks and completed_at are known when nothing is added.
func (r *tenantFailoverResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan tenantFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.ClusterID.IsUnknown() || !failoverTenantsKnown(plan.Tenants) {
		return
	}
	tenants := plan.Tenants
	var before map[int64]bool
	if !req.State.Raw.IsNull() {
		var state tenantFailoverResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		added, kept := splitTenants(plan.Tenants, state.Tenants)
		resp.Diagnostics.Append(serviceNameNotes(plan.Tenants, state.Tenants)...)
		if len(added) == 0 {
			// Nothing to fail over: the plan is the state's tasks of the tenants kept.
			tasks, d := keepTasks(ctx, state.Tasks, kept)
			resp.Diagnostics.Append(d...)
			plan.Tasks, plan.CompletedAt, plan.ID = tasks, state.CompletedAt, types.StringValue(tenantFailoverID(plan.ClusterID.ValueInt64(), plan.Tenants))
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
			return
		}
		tenants = added
		prior, d := taskModels(ctx, state.Tasks)
		resp.Diagnostics.Append(d...)
		before = failedOverBefore(prior)
		plan.Tasks, plan.CompletedAt = types.ListUnknown(types.ObjectType{AttrTypes: failoverTaskAttrTypes}), types.StringUnknown()
		plan.ID = types.StringValue(tenantFailoverID(plan.ClusterID.ValueInt64(), plan.Tenants))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
	ps := dr.PlanTenantFailover(ctx, r.client, tenantFailoverRequest(plan.ClusterID.ValueInt64(), tenants, before))
	resp.Diagnostics.Append(problemDiagnostics(ps, failoverTenantInput(plan.Tenants))...)
}

func (r *tenantFailoverResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m tenantFailoverResourceModel
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
	tasks, recorded := r.failOver(ctx, m, m.Tenants, nil, &resp.Diagnostics)
	if !recorded {
		return // nothing started and nothing found: nothing to record
	}
	resp.Diagnostics.Append(r.record(ctx, &m, m.Tenants, tasks, types.StringNull())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update fails over the tenants added to tenants, and forgets the ones removed. A tenant whose failover
// did not succeed stays out of the recorded tenants, so that the next plan shows it again and the next
// apply retries it alone.
func (r *tenantFailoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state tenantFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultFailoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	added, kept := splitTenants(plan.Tenants, state.Tenants)
	prior, d := taskModels(ctx, state.Tasks)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	priorOf := make(map[int64]failoverTaskModel, len(prior))
	for _, t := range prior {
		priorOf[t.TenantID.ValueInt64()] = t
	}
	tasks := map[int64]failoverTaskModel{}
	for _, k := range kept {
		if t, ok := priorOf[k.TenantID.ValueInt64()]; ok {
			tasks[k.TenantID.ValueInt64()] = t
		}
	}
	recordedTenants := kept
	// completed_at stays as it was unless this run starts (or finds) a failover: then it is this run's end.
	completed := state.CompletedAt
	if len(added) > 0 {
		got, ran := r.failOver(ctx, plan, added, failedOverBefore(prior), &resp.Diagnostics)
		if ran {
			completed = types.StringNull()
		}
		for _, t := range added {
			id := t.TenantID.ValueInt64()
			o, ok := got[id]
			if !ok {
				// Nothing ran for it (a check failed): an earlier record of it stays, for the next run.
				if p, ok := priorOf[id]; ok {
					tasks[id] = p
				}
				continue
			}
			tasks[id] = withEarlierTask(o, priorOf[id])
			if dr.FailoverStatus(o.Status.ValueString()).Done() {
				recordedTenants = append(recordedTenants, t)
			}
		}
	}
	plan.Tenants = recordedTenants
	resp.Diagnostics.Append(r.record(ctx, &plan, recordedTenants, tasks, completed)...)
	if len(added) == 0 {
		plan.CompletedAt = state.CompletedAt // as planned
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// failOver checks and runs the failover of tenants (before: those an earlier run of this resource
// failed over, see failedOverBefore). It returns each tenant's task record, by tenant id, and whether
// anything was started or found to record.
func (r *tenantFailoverResource) failOver(ctx context.Context, m tenantFailoverResourceModel, tenants []failoverTenantModel,
	before map[int64]bool, diags *diag.Diagnostics) (map[int64]failoverTaskModel, bool) {
	req := tenantFailoverRequest(m.ClusterID.ValueInt64(), tenants, before)
	where := failoverTenantInput(m.Tenants)
	checks, ps := dr.CheckTenantFailover(ctx, r.client, req)
	diags.Append(problemDiagnostics(ps, where)...)
	if ps.HasError() {
		return nil, false // nothing started
	}
	outcomes, ps := dr.RunTenantFailover(ctx, r.client, req, checks, logReporter{ctx})
	diags.Append(problemDiagnostics(ps, where)...)
	got := make(map[int64]failoverTaskModel, len(outcomes))
	recorded := false
	for _, o := range outcomes {
		got[o.TenantID] = failoverTaskModelFrom(o)
		recorded = recorded || o.Status != dr.FailoverNotStarted
	}
	return got, recorded
}

// record writes the tasks (sorted by tenant id), the id, and completed_at (completedAt of prev: null
// when this run started or found a failover, so that an end is now).
func (r *tenantFailoverResource) record(ctx context.Context, m *tenantFailoverResourceModel, tenants []failoverTenantModel,
	tasks map[int64]failoverTaskModel, prev types.String) diag.Diagnostics {
	list := make([]failoverTaskModel, 0, len(tasks))
	ended := true
	for _, t := range tasks {
		list = append(list, t)
		ended = ended && dr.FailoverStatus(t.Status.ValueString()).Ended()
	}
	slices.SortFunc(list, func(a, b failoverTaskModel) int { return int(a.TenantID.ValueInt64() - b.TenantID.ValueInt64()) })
	m.ID = types.StringValue(tenantFailoverID(m.ClusterID.ValueInt64(), tenants))
	m.CompletedAt = completedAt(prev, ended)
	v, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: failoverTaskAttrTypes}, list)
	m.Tasks = v
	return diags
}

// Read refreshes the status of the recorded tasks (a task OCP no longer knows keeps its last status),
// and completed_at with them.
func (r *tenantFailoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m tenantFailoverResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Tasks.IsNull() || m.Tasks.IsUnknown() {
		return
	}
	tasks, d := taskModels(ctx, m.Tasks)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	clusterID := m.ClusterID.ValueInt64()
	ended := true
	for i, t := range tasks {
		if !t.TaskID.IsNull() && !t.TaskID.IsUnknown() {
			tenantID, taskID := t.TenantID.ValueInt64(), t.TaskID.ValueInt64()
			status, task, diags := refreshTaskStatus(ctx, r.client, taskID, t.Status.ValueString(), func() (dr.FailoverStatus, error) {
				return dr.ConfirmTenantFailover(ctx, r.client, clusterID, tenantID, taskID)
			}, dr.TenantTarget(clusterID, tenantID, ""))
			resp.Diagnostics.Append(diags...)
			tasks[i].taskEvidence = t.completedBy(t.Status, t.TaskID, task)
			tasks[i].Status = types.StringValue(status)
		}
		ended = ended && dr.FailoverStatus(tasks[i].Status.ValueString()).Ended()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: failoverTaskAttrTypes}, tasks)
	resp.Diagnostics.Append(d...)
	m.Tasks = list
	m.CompletedAt = completedAt(m.CompletedAt, ended)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete calls no API: a failover cannot be undone, and the roles stay as they are.
func (r *tenantFailoverResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// refreshTaskStatus reads a recorded task's current status. A task OCP answers 404 for keeps last, with
// a warning: the resource records an operation that happened, which a purged task list does not undo.
// Statuses that are not a task's (ALREADY_PRIMARY, NOT_STARTED, UNKNOWN, UNCONFIRMED) are kept: the
// first three belong to no task, and UNCONFIRMED is the provider's finding on a task that succeeded.
// A task that ended SUCCESSFUL since it was recorded is confirmed (one read of the role, by confirm):
// success is OCP reporting the tenant (cluster) PRIMARY, else UNCONFIRMED, with a warning about target.
// The task read is returned too (nil when none was), to complete the evidence of a task that was running.
func refreshTaskStatus(ctx context.Context, c *ocp.Client, taskID int64, last string, confirm func() (dr.FailoverStatus, error),
	target string) (string, *ocp.Task, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch dr.FailoverStatus(last) {
	case dr.FailoverAlreadyPrimary, dr.FailoverNotStarted, dr.FailoverUnknown, dr.FailoverUnconfirmed:
		return last, nil, diags
	default:
		// A task's status: read the task.
	}
	t, err := c.GetTask(ctx, taskID)
	switch {
	case err == nil && t.Status == ocp.TaskSuccessful && last != string(dr.FailoverSuccessful):
		status, err := confirm()
		if err != nil && ctx.Err() != nil {
			return last, nil, diags // the refresh was cancelled: an unfinished read confirms nothing either way
		}
		if err != nil {
			diags.AddWarning("Failover not confirmed", describeError("failover of "+target, err)+fmt.Sprintf("\n\nThe state records it %s, "+
				"not %s: the next apply checks it again.", dr.FailoverUnconfirmed, dr.FailoverSuccessful))
		}
		return string(status), t, diags
	case err == nil:
		return string(t.Status), t, diags
	case ocp.IsNotFound(err):
		diags.AddWarning("Failover task not found",
			fmt.Sprintf("OCP no longer knows task %d; its last known status %s is kept in the state.", taskID, last))
	default:
		diags.Append(errorDiagnostic("Error reading failover task", fmt.Sprintf("task %d", taskID), err))
	}
	return last, nil, diags
}

// failedOverBefore is the tenants that the state's tasks show failed over by an earlier run: a task of
// theirs recorded RUNNING, SUCCESSFUL or UNCONFIRMED. Such a tenant, re-added after that run left it
// out of tenants (a timeout, say), is PRIMARY by this resource's own doing even when OCP no longer lists
// the task.
func failedOverBefore(tasks []failoverTaskModel) map[int64]bool {
	out := map[int64]bool{}
	for _, t := range tasks {
		switch dr.FailoverStatus(t.Status.ValueString()) {
		case dr.FailoverRunning, dr.FailoverSuccessful, dr.FailoverUnconfirmed:
			out[t.TenantID.ValueInt64()] = !t.TaskID.IsNull() && !t.TaskID.IsUnknown()
		default:
			// No task of it ran to the end, or none was started.
		}
	}
	return out
}

// withEarlierTask keeps the task of an earlier record (earlier, zero when none) for a tenant now found
// ALREADY_PRIMARY without a task: the earlier run's task is what made it so.
func withEarlierTask(o, earlier failoverTaskModel) failoverTaskModel {
	if dr.FailoverStatus(o.Status.ValueString()) != dr.FailoverAlreadyPrimary || !o.TaskID.IsNull() || earlier.TaskID.IsNull() || earlier.TaskID.IsUnknown() {
		return o
	}
	o.TaskID, o.taskEvidence = earlier.TaskID, earlier.taskEvidence
	return o
}

// completedAt is completed_at after a refresh (prev, the value before) or a run that started nothing:
// null while a failover may go on, otherwise kept, or now when the last of them has just ended.
func completedAt(prev types.String, ended bool) types.String {
	switch {
	case !ended:
		return types.StringNull()
	case prev.IsNull() || prev.IsUnknown():
		return types.StringValue(time.Now().UTC().Format(time.RFC3339))
	default:
		return prev
	}
}

// splitTenants separates the planned tenants into those not in the state (added) and those that are
// (kept), by tenant id.
func splitTenants(plan, state []failoverTenantModel) (added, kept []failoverTenantModel) {
	for _, t := range plan {
		if slices.ContainsFunc(state, func(s failoverTenantModel) bool { return s.TenantID.Equal(t.TenantID) }) {
			kept = append(kept, t)
		} else {
			added = append(added, t)
		}
	}
	return added, kept
}

// serviceNameNotes warns that a new service_name of a tenant already failed over is not applied.
func serviceNameNotes(plan, state []failoverTenantModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, p := range plan {
		for _, s := range state {
			if p.TenantID.Equal(s.TenantID) && !p.ServiceName.Equal(s.ServiceName) {
				diags.AddAttributeWarning(path.Root("tenants"), "service_name changes nothing for a tenant already failed over",
					fmt.Sprintf("Tenant %d was failed over already; OCP takes a service name only with the failover request, so the new "+
						"service_name is recorded but not applied. Set it in OCP, or re-run the failover through triggers.", p.TenantID.ValueInt64()))
			}
		}
	}
	return diags
}

// keepTasks is the state's tasks of the kept tenants.
func keepTasks(ctx context.Context, tasks types.List, kept []failoverTenantModel) (types.List, diag.Diagnostics) {
	all, diags := taskModels(ctx, tasks)
	if diags.HasError() {
		return tasks, diags
	}
	all = slices.DeleteFunc(all, func(t failoverTaskModel) bool {
		return !slices.ContainsFunc(kept, func(k failoverTenantModel) bool { return k.TenantID.Equal(t.TenantID) })
	})
	v, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: failoverTaskAttrTypes}, all)
	return v, append(diags, d...)
}

// taskModels reads a tasks list (null: none).
func taskModels(ctx context.Context, tasks types.List) ([]failoverTaskModel, diag.Diagnostics) {
	var out []failoverTaskModel
	if tasks.IsNull() || tasks.IsUnknown() {
		return out, nil
	}
	diags := tasks.ElementsAs(ctx, &out, false)
	return out, diags
}

// failoverTenantInput points a problem about one tenant at its element of the tenants set.
func failoverTenantInput(tenants []failoverTenantModel) func(dr.Problem) (path.Path, bool) {
	return func(p dr.Problem) (path.Path, bool) {
		switch p.Input {
		case dr.InputCluster:
			return path.Root("cluster_id"), true
		case dr.InputTenant:
			for _, t := range tenants {
				if t.TenantID.ValueInt64() == p.TenantID {
					return path.Root("tenants").AtSetValue(failoverTenantObject(t)).AtName("tenant_id"), true
				}
			}
		default:
			// Not an input of a tenant failover.
		}
		return path.Path{}, false
	}
}

// failoverTenantObject is a tenants element as a value, to address it in the set.
func failoverTenantObject(t failoverTenantModel) types.Object {
	return types.ObjectValueMust(failoverTenantAttrTypes, map[string]attr.Value{"tenant_id": t.TenantID, "service_name": t.ServiceName})
}

func tenantFailoverID(clusterID int64, tenants []failoverTenantModel) string {
	ids := make([]int64, len(tenants))
	for i, t := range tenants {
		ids[i] = t.TenantID.ValueInt64()
	}
	slices.Sort(ids)
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf("%d/%s", clusterID, strings.Join(s, ","))
}
