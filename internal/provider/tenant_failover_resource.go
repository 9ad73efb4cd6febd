package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
			"the resource runs OCP's batch tenant failover (one request, one task per tenant) and waits for every task. " +
			"Failover is an emergency operation that may lose data (the plan warns, with each standby's log delay); prefer " +
			"`ocp_tenant_switchover` while the primary is healthy.\n\n" +
			"It is idempotent: a tenant that is already `PRIMARY` is not failed over again, and one whose failover task is " +
			"already running is waited on. When some tenants of the batch fail, the others are recorded in `tasks`, the " +
			"apply fails naming the failed ones, and the next apply (which replaces the tainted resource) fails over only " +
			"what is left. Changing any argument replaces the resource, which runs the failover again (use `triggers` for " +
			"a repeated drill). **Destroying** the resource calls no OCP API: roles stay as they are and the resource is " +
			"only removed from the state. On Terraform 1.14 and later, the `ocp_tenant_failover` action does the same " +
			"without keeping state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<cluster_id>/<tenant_id>[,<tenant_id>…]`, the tenants in the order given.",
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
				MarkdownDescription: "Arbitrary strings; any change replaces the resource, which runs the failover again " +
					"(for example `{ drill = \"2026-11-21\" }` for a repeated drill). The provider does not send them to OCP.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"tasks": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "One element per tenant of `tenants`, in the same order: the failover task and its status. " +
					"Refreshing reads each task's current status from OCP.",
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"tenant_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "The tenant."},
					"task_id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of its OCP failover task; null when none was started (already `PRIMARY`, or not started)."},
					"status":    schema.StringAttribute{Computed: true, MarkdownDescription: "One of " + failoverStatusDoc},
				}},
			},
			"completed_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the failover finished (RFC 3339, UTC).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeResourceTimeouts(timeouts.Block(ctx, timeouts.Opts{
				Create: true,
				CreateDescription: "How long to wait for the failover tasks, as a Go duration such as `60m` (the default). When it " +
					"runs out the tasks go on in OCP; the next apply waits for them instead of starting new ones. Changing it does not " +
					"run the failover again.",
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

// ModifyPlan checks the batch when the failover is about to run (create, or replace: Terraform plans a
// replacement as a create with no prior state): every tenant is a standby of the cluster (or already
// PRIMARY) and not busy, and the plan carries the data-loss warning.
func (r *tenantFailoverResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() || r.client == nil {
		return
	}
	var m tenantFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.ClusterID.IsUnknown() || !failoverTenantsKnown(m.Tenants) {
		return
	}
	resp.Diagnostics.Append(tenantFailoverPlanDiagnostics(ctx, r.client, m.ClusterID.ValueInt64(), failoverSpecs(m.Tenants))...)
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

	clusterID := m.ClusterID.ValueInt64()
	checks, diags := checkTenantFailover(ctx, r.client, clusterID, failoverSpecs(m.Tenants))
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return // nothing started
	}
	outcomes, diags := runTenantFailover(ctx, r.client, clusterID, checks, resourceFailoverReporter(ctx))
	resp.Diagnostics.Append(diags...)

	// Record what happened even when some tenants failed: Terraform keeps the state tainted, so the next
	// apply replaces it, and the replacement skips the tenants that are PRIMARY now.
	tasks := make([]failoverTaskModel, len(outcomes))
	started := false
	for i, o := range outcomes {
		tasks[i] = failoverTaskModel{TenantID: types.Int64Value(o.TenantID), TaskID: types.Int64Null(), Status: types.StringValue(o.Status)}
		if o.TaskID != 0 {
			tasks[i].TaskID = types.Int64Value(o.TaskID)
			started = true
		}
		if o.Status == failoverAlreadyPrimary {
			started = true
		}
	}
	if !started {
		return // no task, nothing to record: the apply failed before anything happened
	}
	m.ID = types.StringValue(tenantFailoverID(clusterID, m.Tenants))
	m.CompletedAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: failoverTaskAttrTypes}, tasks)
	resp.Diagnostics.Append(d...)
	m.Tasks = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read refreshes the status of the recorded tasks. A task OCP no longer knows keeps its last status.
func (r *tenantFailoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m tenantFailoverResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Tasks.IsNull() || m.Tasks.IsUnknown() {
		return
	}
	var tasks []failoverTaskModel
	resp.Diagnostics.Append(m.Tasks.ElementsAs(ctx, &tasks, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for i, t := range tasks {
		if t.TaskID.IsNull() || t.TaskID.IsUnknown() {
			continue
		}
		status, diags := refreshTaskStatus(ctx, r.client, t.TaskID.ValueInt64(), t.Status.ValueString())
		resp.Diagnostics.Append(diags...)
		tasks[i].Status = types.StringValue(status)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: failoverTaskAttrTypes}, tasks)
	resp.Diagnostics.Append(d...)
	m.Tasks = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update only happens when the timeouts block changes: every other argument replaces the resource.
func (r *tenantFailoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m tenantFailoverResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete calls no API: a failover cannot be undone, and the roles stay as they are.
func (r *tenantFailoverResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// refreshTaskStatus reads a recorded task's current status. A task OCP answers 404 for keeps last, with
// a warning: the resource records an operation that happened, which a purged task list does not undo.
func refreshTaskStatus(ctx context.Context, c *ocp.Client, taskID int64, last string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	t, err := c.GetTask(ctx, taskID)
	switch {
	case err == nil:
		return string(t.Status), diags
	case ocp.IsNotFound(err):
		diags.AddWarning("Failover task not found",
			fmt.Sprintf("OCP no longer knows task %d; its last known status %s is kept in the state.", taskID, last))
	default:
		diags.Append(errorDiagnostic("Error reading failover task", fmt.Sprintf("task %d", taskID), err))
	}
	return last, diags
}

func tenantFailoverID(clusterID int64, tenants []failoverTenantModel) string {
	ids := make([]string, len(tenants))
	for i, t := range tenants {
		ids[i] = fmt.Sprint(t.TenantID.ValueInt64())
	}
	return fmt.Sprintf("%d/%s", clusterID, strings.Join(ids, ","))
}
