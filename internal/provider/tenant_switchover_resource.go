package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ resource.ResourceWithConfigure      = (*tenantSwitchoverResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tenantSwitchoverResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tenantSwitchoverResource)(nil)
	_ resource.ResourceWithImportState    = (*tenantSwitchoverResource)(nil)
)

// defaultSwitchoverTimeout bounds create and update when the timeouts block leaves them out.
const defaultSwitchoverTimeout = 60 * time.Minute

// NewTenantSwitchoverResource returns the ocp_tenant_switchover resource.
func NewTenantSwitchoverResource() resource.Resource { return &tenantSwitchoverResource{} }

type tenantSwitchoverResource struct {
	client *ocp.Client
}

// The model, tenantSwitchoverModel, and its mapping live in tenant_switchover_model.go.

func (r *tenantSwitchoverResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant_switchover"
}

func (r *tenantSwitchoverResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true,
		CreateDescription: "How long `terraform apply` waits for a switchover started (or found running) when the resource is created, " +
			"as a Go duration such as `\"30m\"`. Defaults to `60m`.",
		UpdateDescription: "How long `terraform apply` waits for a switchover started (or found running) when the roles change, " +
			"as a Go duration. Defaults to `60m`.",
	})
	if b, ok := timeoutsBlock.(schema.SingleNestedBlock); ok {
		b.MarkdownDescription = "Time limits of waiting for the OCP task. When one runs out the task goes on in OCP; the next apply waits for it."
		timeoutsBlock = b
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Declares which tenant of an OceanBase primary/standby tenant pair is the primary. " +
			"A DR drill is a `terraform plan` that shows the switchover, with OCP's switchover precheck run at plan time, " +
			"and a `terraform apply` that runs it: it starts OCP's switchover task, waits for it (each subtask is logged, " +
			"visible with `TF_LOG=INFO`) and confirms the new roles. Switching back is the same edit reversed: swap `primary` and `standby`.\n\n" +
			"When the roles already hold, nothing is started and the plan is empty. When they are swapped (for example after a " +
			"switchover made in OCP), the plan shows an update that switches them back. When they are neither (two primaries after " +
			"a failover, two standbys, a tenant busy in another task), the plan fails and says what it found. " +
			"If a switchover of the pair is already running (an interrupted apply), apply waits for it instead of starting another. " +
			"Whichever it is, the plan shows it in `planned_action`, and warns when apply will start a switchover.\n\n" +
			"**Destroying this resource calls no API**: the roles stay as they are and Terraform forgets the resource.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Both tenants as `<cluster_id>/<tenant_id>`, sorted by tenant id and joined by a comma, " +
					"for example `3000009/2000022,3000010/2000025`. It does not change when the roles swap.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"primary": switchoverTenantAttribute("The tenant that should be PRIMARY after apply. Changing it to the current standby " +
				"(and `standby` to the current primary) is an update that switches the pair over; naming other tenants replaces the resource."),
			"standby": switchoverTenantAttribute("The tenant that should be STANDBY after apply: the current standby of the pair or, " +
				"to switch over, its current primary."),
			"allow_warnings": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether precheck warnings (for example `OBE26107`, the tenants' clusters behind different OBProxy " +
					"clusters) let the switchover proceed; they are shown as plan warnings. `false` turns them into errors. " +
					"Blocking checks always fail the plan. Defaults to `true`.",
			},
			"task_id": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "ID of the OCP task of the pair's last switchover on record: the one this resource ran or waited for; " +
					"when the resource was created (or replaced) with the roles already holding, the pair's last successful switchover, " +
					"whoever ran it; one a refresh found running in OCP, or found to have resolved an `UNKNOWN` outcome. Null when none is known.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"task_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Status of that task as OCP last reported it: `SUCCESSFUL`, `FAILED` (the apply failed: see its error), " +
					"or `RUNNING` (the apply stopped waiting, for example when the timeout ran out; the next apply waits for it). " +
					"`UNKNOWN` (with `task_id` null) when an apply's start request may or may not have reached OCP and OCP's task list " +
					"could not tell: the next refresh records the pair's last switchover once OCP reports the roles that apply asked " +
					"for, and otherwise the next plan looks for a running switchover before it starts one.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"switched_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the last successful switchover on record (see `task_id`) finished, as OCP reports its end " +
					"(RFC 3339, UTC); null if none has. A later task that fails or still runs leaves it as it was.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_switchover": lastSwitchoverAttribute(),
			"planned_action": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "What `terraform apply` does to OCP, as the plan shows it. " +
					"`none: roles already hold`: apply starts nothing (it reads the roles again and records them). " +
					"`switchover <name> (<tenant_id>) -> <name> (<tenant_id>)`, for example `switchover ohayo_1 (2000022) -> ohayo_2 (2000025)`: " +
					"apply switches the current primary (first) over to the current standby; it starts OCP's switchover task (the plan " +
					"warns `Apply will start a switchover`) or, when the plan warns `A switchover of this pair is already running`, waits " +
					"for that task instead. `wait for switchover task <task_id>`: an earlier apply of this resource started that task " +
					"and stopped waiting (a timeout, Ctrl-C during an update), or the refresh found that switchover of the pair running " +
					"in OCP; apply waits for it and starts no other, also when it has ended without the declared roles by then (apply " +
					"then fails, naming the task: plan again). " +
					"Unknown at plan time only when the tenants are. " +
					"It is planned only when the resource changes anyway (a create, a replacement, an update of the roles, " +
					"`allow_warnings` or `timeouts`); otherwise the plan keeps the state's value, so it never makes a diff by itself. " +
					"The state keeps the value of the last apply: after a switchover it still reads `switchover …` until the next " +
					"change; an import leaves it null. " +
					"Apply never starts a switchover that the plan did not show as `switchover …`. A create or replacement has no " +
					"state to record a running switchover in: its plan shows `switchover …` with the warning `A switchover of this pair " +
					"is already running`, and if that task ends without the roles before apply, apply starts the switchover. If OCP changes between plan and " +
					"apply (a saved plan applied later), an update keeps its planned value and apply does less: it finds the roles " +
					"in place, or waits for a switchover started meanwhile; a switchover the plan expected to wait for that ended " +
					"without bringing the roles fails the apply and asks for a new plan. A create or replacement whose roles changed " +
					"in between is stopped by Terraform (`Provider produced inconsistent final plan` for `planned_action`) before " +
					"anything starts: plan again. Policies can key on it: see the Policy checks guide.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock},
	}
}

// switchoverTenantAttribute is the nested primary/standby object.
func switchoverTenantAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"cluster_id": schema.Int64Attribute{Required: true, Validators: positiveID,
				MarkdownDescription: "ID of the OCP cluster that holds the tenant."},
			"tenant_id": schema.Int64Attribute{Required: true, Validators: positiveID,
				MarkdownDescription: "ID of the tenant in OCP."},
			"name": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The tenant's name in OCP."},
			"role": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The tenant's role as OCP reported it at the last read (`PRIMARY` or `STANDBY`). " +
					"A plan that switches the pair over shows the role it will have after apply."},
		},
	}
}

func (r *tenantSwitchoverResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig rejects a pair of one tenant.
func (r *tenantSwitchoverResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, diags := getSwitchover(ctx, req.Config.Schema, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, s, diags := m.pairModels(ctx)
	if diags.HasError() {
		return
	}
	if p.TenantID.IsUnknown() || p.TenantID.IsNull() || s.TenantID.IsUnknown() || s.TenantID.IsNull() {
		return
	}
	if p.TenantID.ValueInt64() == s.TenantID.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("standby").AtName("tenant_id"), "Primary and standby are the same tenant",
			fmt.Sprintf("primary and standby both name tenant %d; a switchover needs two tenants.", p.TenantID.ValueInt64()))
	}
}

// ModifyPlan decides whether apply will switch over and checks at plan time that it can: see
// planSwitchover. A different pair of tenants replaces the resource.
func (r *tenantSwitchoverResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return // destroy (no API call), or the provider is not configured yet
	}
	plan, diags := getSwitchover(ctx, req.Plan.Schema, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	var state tenantSwitchoverModel
	creating := req.State.Raw.IsNull()
	if !creating {
		state, diags = getSwitchover(ctx, req.State.Schema, req.State.Raw)
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	primary, standby, ok, d := plan.pairRefs(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() || !ok || plan.AllowWarnings.IsUnknown() || primary.TenantID == standby.TenantID {
		return // wait for known values; ValidateConfig reports a pair of one tenant
	}
	plan.ID = types.StringValue(pairID(primary, standby))

	fresh := creating
	if !creating && state.ID.ValueString() != plan.ID.ValueString() {
		// Other tenants: a new resource, whose create may switch them over.
		resp.RequiresReplace = path.Paths{path.Root("primary"), path.Root("standby")}
		fresh = true
	}
	if !fresh && holdsRoles(ctx, state, primary, standby) {
		// The last read found the roles as declared: nothing to do, no call to OCP.
		plan.Primary, plan.Standby = state.Primary, state.Standby
		plan.PlannedAction = plannedValue(ctx, resp.Plan.Schema, plan, &state, plannedNone)
		resp.Diagnostics.Append(setSwitchover(ctx, resp.Plan.Schema, resp.Plan.Set, plan)...)
		return
	}

	sreq := dr.SwitchoverRequest{Primary: primary, Standby: standby, AllowWarnings: plan.AllowWarnings.ValueBool()}
	if !fresh {
		sreq.PriorTaskID, sreq.PriorUnknown = state.TaskID.ValueInt64(), state.TaskStatus.ValueString() == taskStatusUnknown
		sreq.PriorTaskStatus = ocp.TaskStatus(state.TaskStatus.ValueString())
	}
	sp, ps := dr.PlanSwitchover(ctx, r.client, sreq)
	resp.Diagnostics.Append(problemDiagnostics(ps, switchoverInput)...)
	if ps.HasError() {
		return
	}
	plan.Primary = tenantObject(primary, sp.Pair.Primary.Name, ocp.RolePrimary)
	plan.Standby = tenantObject(standby, sp.Pair.Standby.Name, ocp.RoleStandby)
	if sp.Needed || fresh {
		plan.TaskID, plan.TaskStatus, plan.SwitchedAt = types.Int64Unknown(), types.StringUnknown(), types.StringUnknown()
		plan.LastSwitchover = types.ObjectUnknown(lastSwitchoverAttrTypes)
	}
	if fresh {
		plan.PlannedAction = types.StringValue(plannedFromOCP(sp))
	} else {
		plan.PlannedAction = plannedValue(ctx, resp.Plan.Schema, plan, &state, plannedFromState(ctx, state, primary, standby))
	}
	if sp.Needed && sp.Running == nil && !plannedStartsNothing(plan.PlannedAction) {
		from, to := sp.Pair.Current()
		resp.Diagnostics.Append(switchoverStartWarning(from, to, plannedSwitchover(tenantModelOf(from), tenantModelOf(to))))
	}
	resp.Diagnostics.Append(setSwitchover(ctx, resp.Plan.Schema, resp.Plan.Set, plan)...)
}

// plannedValue is the planned_action of an update: action when the plan changes the resource anyway,
// the state's value when it changes nothing else (planned_action alone never makes a diff).
func plannedValue(ctx context.Context, sch schemaType, plan tenantSwitchoverModel, state *tenantSwitchoverModel, action string) types.String {
	unchanged := plan
	unchanged.PlannedAction = state.PlannedAction
	a, d1 := unchanged.terraformValue(ctx, sch)
	b, d2 := state.terraformValue(ctx, sch)
	if !d1.HasError() && !d2.HasError() && a.Equal(b) {
		return state.PlannedAction
	}
	return types.StringValue(action)
}

func (r *tenantSwitchoverResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := getSwitchover(ctx, req.Plan.Schema, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultSwitchoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r.apply(ctx, plan, nil, &resp.State, &resp.Diagnostics)
	resp.Diagnostics.Append(setIdentityFromState(ctx, resp.State, resp.Identity)...)
}

func (r *tenantSwitchoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, diags := getSwitchover(ctx, req.State.Schema, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	primary, standby, ok, d := state.pairRefs(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !ok {
		resp.Diagnostics.AddError("Invalid ocp_tenant_switchover state", "The state lacks a tenant's cluster_id or tenant_id. Please report this issue to the provider developers.")
		return
	}
	// The identity is the pair's, whatever OCP answers (the framework wants one even for a resource removed).
	resp.Diagnostics.Append(setPairIdentity(ctx, resp.Identity, primary, standby)...)
	pair, err := dr.ReadPair(ctx, r.client, primary, standby)
	if ocp.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Tenant of the switchover pair not found",
			fmt.Sprintf("OCP does not know %s or %s any more (%v). Terraform forgets this ocp_tenant_switchover; "+
				"the next apply creates it again if the configuration still declares it.", primary, standby, err))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic("Error reading the tenants of the switchover", pairTarget(primary, standby), err))
		return
	}
	state = withPair(state, pair)
	if pair.Roles() == dr.RolesUnknown {
		resp.Diagnostics.AddWarning("OCP does not report the tenants' roles", describeError(pairTarget(primary, standby),
			&ocp.MissingRoleError{ClusterID: pair.Primary.ClusterID, TenantID: pair.Primary.ID, Name: pair.Primary.Name}))
	}
	// A task left RUNNING by an interrupted apply: record how it is doing now.
	if state.TaskStatus.ValueString() == string(ocp.TaskRunning) && !state.TaskID.IsNull() {
		if t, err := r.client.GetTask(ctx, state.TaskID.ValueInt64()); err == nil {
			state = withTask(state, t, time.Now())
			state.LastSwitchover = completedEvidence(state.LastSwitchover, t)
		} else {
			tflog.Warn(ctx, "could not read the switchover task recorded in state", map[string]any{"task_id": state.TaskID.ValueInt64(), "error": err.Error()})
		}
	}
	if state.TaskStatus.ValueString() != string(ocp.TaskRunning) {
		state = r.findRunning(ctx, state, pair)
	}
	if state.TaskStatus.ValueString() == taskStatusUnknown {
		state = r.resolveUnknown(ctx, state, pair)
	}
	resp.Diagnostics.Append(setSwitchover(ctx, resp.State.Schema, resp.State.Set, state)...)
}

// findRunning records a switchover of the pair that OCP shows running (started in OCP, by another
// workspace, or by an apply whose outcome was unknown) as the task, RUNNING. The plan, whose
// planned_action comes from this state, then waits for it, and apply never starts another, also when
// that task ends without the roles before apply (NoStart). It costs a task list read of each tenant only
// when a tenant is busy or the outcome was unknown.
func (r *tenantSwitchoverResource) findRunning(ctx context.Context, state tenantSwitchoverModel, pair dr.Pair) tenantSwitchoverModel {
	running, err := dr.RunningPairSwitchover(ctx, r.client, pair, state.TaskStatus.ValueString() == taskStatusUnknown)
	if err != nil {
		tflog.Warn(ctx, "could not look for a running switchover of the pair", map[string]any{"error": err.Error()})
		return state
	}
	return withTask(state, running, time.Now())
}

// resolveUnknown settles an unknown outcome once OCP shows it. The apply that had it recorded what it
// meant to do, planned_action "switchover A -> B": when OCP reports B PRIMARY and A STANDBY, the pair's
// last switchover, started from A, is what brought them (it may have FAILED after the roles changed),
// and it is recorded as a create whose roles hold records one, with its evidence. Otherwise, or while OCP's task list cannot be read, UNKNOWN
// stays and the next refresh tries again (the test depends on planned_action and OCP, not on the roles
// a refresh rewrites).
func (r *tenantSwitchoverResource) resolveUnknown(ctx context.Context, state tenantSwitchoverModel, pair dr.Pair) tenantSwitchoverModel {
	if roles := pair.Roles(); roles != dr.RolesAsDeclared && roles != dr.RolesSwapped {
		return state
	}
	primary, standby := pair.Current()
	if state.PlannedAction.ValueString() != plannedSwitchover(tenantModelOf(standby), tenantModelOf(primary)) {
		return state
	}
	t := dr.LastSwitchover(ctx, r.client, pair) // started from A, now the standby
	if t == nil {
		return state
	}
	state = withTask(state, t, time.Now())
	state.LastSwitchover = lastSwitchoverAfter(state.LastSwitchover, dr.SwitchoverOutcome{Task: t, Started: true})
	return state
}

func (r *tenantSwitchoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := getSwitchover(ctx, req.Plan.Schema, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, diags := getSwitchover(ctx, req.State.Schema, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultSwitchoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r.apply(ctx, plan, &state, &resp.State, &resp.Diagnostics)
	resp.Diagnostics.Append(setIdentityFromState(ctx, resp.State, resp.Identity)...)
}

// Delete calls no API: the roles stay as they are and Terraform forgets the resource.
func (r *tenantSwitchoverResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Info(ctx, "ocp_tenant_switchover removed from state; the tenants keep their roles in OCP")
}

// ImportState takes `<cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>` in either order, or (Terraform
// >= 1.12) the identity; Read then puts the tenant OCP reports PRIMARY first.
func (r *tenantSwitchoverResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	a, b, diags := importTarget(req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setPairIdentity(ctx, resp.Identity, a, b)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), pairID(a, b))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("primary"), tenantObject(a, "", ""))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("standby"), tenantObject(b, "", ""))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("allow_warnings"), true)...)
}

// apply brings the pair to the planned roles (create and update). A switchover runs only when the plan
// said so (task attributes unknown); otherwise the roles are read again and must still hold. prior is
// the state before an update (nil on create). The state is written as soon as a task is known, and at
// the end holds what OCP reports, whatever happened.
func (r *tenantSwitchoverResource) apply(ctx context.Context, plan tenantSwitchoverModel, prior *tenantSwitchoverModel, state *tfsdk.State, diags *diag.Diagnostics) {
	// Until something is known, the state stays what it was: the prior state on update, none on create.
	if prior != nil {
		diags.Append(setSwitchover(ctx, state.Schema, state.Set, *prior)...)
	} else {
		state.RemoveResource(ctx)
	}

	primary, standby, ok, d := plan.pairRefs(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if !ok {
		diags.AddError("Unknown tenant ids at apply", "primary and standby must be known when the resource is applied.")
		return
	}

	if !plan.TaskID.IsUnknown() {
		// The plan showed no switchover; do not start one it did not show.
		pair, err := dr.ReadPair(ctx, r.client, primary, standby)
		if err != nil {
			diags.Append(errorDiagnostic("Error reading the tenants of the switchover", pairTarget(primary, standby), err))
			return
		}
		m := withPair(plan, pair)
		if m.PlannedAction.IsUnknown() {
			m.PlannedAction = types.StringValue(plannedNone)
		}
		diags.Append(setSwitchover(ctx, state.Schema, state.Set, m)...)
		if pair.Roles() != dr.RolesAsDeclared {
			diags.AddError("Tenant roles changed since the plan",
				fmt.Sprintf("The plan expected the roles to hold, but OCP now reports: %s.\n\nRun terraform plan again.", pair.Describe()))
		}
		return
	}

	// A plan whose planned_action is not a switchover lets apply wait for one already running, never start one.
	req := dr.SwitchoverRequest{Primary: primary, Standby: standby, AllowWarnings: plan.AllowWarnings.ValueBool(), RecordLast: true,
		NoStart: plannedStartsNothing(plan.PlannedAction)}
	if prior != nil {
		req.PriorTaskID, req.PriorUnknown = prior.TaskID.ValueInt64(), prior.TaskStatus.ValueString() == taskStatusUnknown
		req.PriorTaskStatus = ocp.TaskStatus(prior.TaskStatus.ValueString())
	}
	out, ps := dr.RunSwitchover(ctx, r.client, req, dr.SwitchoverRun{
		Reporter: logReporter{ctx},
		OnTask: func(t ocp.Task, sofar dr.SwitchoverOutcome) {
			// Keep the task id even if this apply is interrupted.
			m := knownOrNull(withTask(withPair(plan, sofar.Before), &t, time.Now()))
			if prior != nil && t.Status != ocp.TaskSuccessful {
				m.SwitchedAt = prior.SwitchedAt
			}
			// And what was read before the switch, the drill's evidence.
			sofar.Task = &t
			if prior != nil {
				m.LastSwitchover = prior.LastSwitchover
			}
			m.LastSwitchover = lastSwitchoverAfter(m.LastSwitchover, sofar)
			diags.Append(setSwitchover(ctx, state.Schema, state.Set, m)...)
		},
	})
	diags.Append(problemDiagnostics(ps, switchoverInput)...)
	if out.Before.Primary.ID == 0 {
		// The tenants could not be read, so nothing was started: the state stays as it was.
		return
	}
	m := plan
	if prior != nil {
		// Until a task of this apply is known, the task attributes are the prior ones.
		m.TaskID, m.TaskStatus, m.SwitchedAt = prior.TaskID, prior.TaskStatus, prior.SwitchedAt
		m.LastSwitchover = prior.LastSwitchover
	}
	if out.Unknown {
		// A switchover may be running that nobody waits for: say so, and make the next run look for it.
		m.TaskID, m.TaskStatus = types.Int64Null(), types.StringValue(taskStatusUnknown)
	}
	if out.AfterRead {
		m = withPair(m, out.After)
	} else {
		m = withRolesUnknown(m, primary, standby)
	}
	if m.PlannedAction.IsUnknown() {
		m.PlannedAction = types.StringValue(plannedFromOutcome(out, req.PriorTaskID))
	}
	m = knownOrNull(withTask(m, out.Task, time.Now()))
	m.LastSwitchover = lastSwitchoverAfter(m.LastSwitchover, out)
	diags.Append(setSwitchover(ctx, state.Schema, state.Set, m)...)
}

// switchoverInput points a problem at the attribute it concerns.
func switchoverInput(p dr.Problem) (path.Path, bool) {
	switch p.Input {
	case dr.InputPrimary:
		return path.Root("primary").AtName("tenant_id"), true
	case dr.InputStandby:
		return path.Root("standby").AtName("tenant_id"), true
	default:
		return path.Path{}, false
	}
}

// pairTarget names the two tenants of a pair without roles (they may not be those asked for).
func pairTarget(a, b dr.TenantRef) string { return fmt.Sprintf("%s and %s", a, b) }
