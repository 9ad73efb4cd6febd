package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ action.ActionWithConfigure      = (*tenantSwitchoverAction)(nil)
	_ action.ActionWithModifyPlan     = (*tenantSwitchoverAction)(nil)
	_ action.ActionWithValidateConfig = (*tenantSwitchoverAction)(nil)
)

// NewTenantSwitchoverAction returns the ocp_tenant_switchover action (Terraform 1.14 and later): a
// one-shot switchover of a given pair. It runs the same engine as the ocp_tenant_switchover resource:
// dr.PlanSwitchover at plan time, dr.RunSwitchover when invoked.
func NewTenantSwitchoverAction() action.Action { return &tenantSwitchoverAction{} }

type tenantSwitchoverAction struct {
	client *ocp.Client
}

type tenantSwitchoverActionModel struct {
	Primary       types.Object   `tfsdk:"primary"`
	Standby       types.Object   `tfsdk:"standby"`
	AllowWarnings types.Bool     `tfsdk:"allow_warnings"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// switchoverActionTenantModel is the action's primary/standby object: ids only (actions have no
// computed attributes).
type switchoverActionTenantModel struct {
	ClusterID types.Int64 `tfsdk:"cluster_id"`
	TenantID  types.Int64 `tfsdk:"tenant_id"`
}

func (a *tenantSwitchoverAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant_switchover"
}

func (a *tenantSwitchoverAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Switches a primary/standby tenant pair over once (Terraform 1.14 and later), so that `primary` ends " +
			"PRIMARY and `standby` STANDBY: OCP's switchover precheck runs at plan time and again before the switchover starts, " +
			"then the action waits for the task, reporting every subtask transition, and confirms the new roles. When the roles " +
			"already hold it does nothing (a progress message says so); when a switchover of the pair is already running it waits " +
			"for it instead of starting another. Unlike a failover, a switchover loses no data. Actions keep no state; the " +
			"`ocp_tenant_switchover` resource declares the roles instead.",
		Attributes: map[string]schema.Attribute{
			"primary": switchoverActionTenantAttribute("The tenant that should be PRIMARY after the switchover (the current standby, " +
				"for a switchover to happen)."),
			"standby": switchoverActionTenantAttribute("The tenant that should be STANDBY after the switchover (the current primary)."),
			"allow_warnings": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether precheck warnings (for example `OBE26107`, the tenants' clusters behind different OBProxy " +
					"clusters) let the switchover proceed; they are shown as plan warnings. `false` turns them into errors. " +
					"Blocking checks always stop it. Defaults to `true`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": describeActionTimeouts(timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: "How long to wait for the switchover task, as a " +
				"Go duration such as `60m` (the default). When it runs out the task goes on in OCP; invoking the action again " +
				"waits for it instead of starting another."})),
		},
	}
}

func switchoverActionTenantAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"cluster_id": schema.Int64Attribute{Required: true, Validators: positiveID,
				MarkdownDescription: "ID of the OCP cluster that holds the tenant."},
			"tenant_id": schema.Int64Attribute{Required: true, Validators: positiveID,
				MarkdownDescription: "ID of the tenant in OCP."},
		},
	}
}

func (a *tenantSwitchoverAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// pair returns the two tenants, and false while either is unknown.
func (m tenantSwitchoverActionModel) pair(ctx context.Context) (primary, standby dr.TenantRef, ok bool, diags diag.Diagnostics) {
	refs := make([]dr.TenantRef, 2)
	for i, obj := range []types.Object{m.Primary, m.Standby} {
		if obj.IsNull() || obj.IsUnknown() {
			return dr.TenantRef{}, dr.TenantRef{}, false, diags
		}
		var t switchoverActionTenantModel
		diags.Append(obj.As(ctx, &t, basetypes.ObjectAsOptions{})...)
		if diags.HasError() || t.ClusterID.IsUnknown() || t.ClusterID.IsNull() || t.TenantID.IsUnknown() || t.TenantID.IsNull() {
			return dr.TenantRef{}, dr.TenantRef{}, false, diags
		}
		refs[i] = dr.TenantRef{ClusterID: t.ClusterID.ValueInt64(), TenantID: t.TenantID.ValueInt64()}
	}
	return refs[0], refs[1], true, diags
}

// allowWarnings applies the default (true): action attributes cannot have one.
func (m tenantSwitchoverActionModel) allowWarnings() bool {
	return m.AllowWarnings.IsNull() || m.AllowWarnings.IsUnknown() || m.AllowWarnings.ValueBool()
}

// ValidateConfig rejects a pair of one tenant.
func (a *tenantSwitchoverAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m tenantSwitchoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, s, ok, diags := m.pair(ctx)
	resp.Diagnostics.Append(diags...)
	if ok && p.TenantID == s.TenantID {
		resp.Diagnostics.AddAttributeError(path.Root("standby").AtName("tenant_id"), "Primary and standby are the same tenant",
			fmt.Sprintf("primary and standby both name tenant %d; a switchover needs two tenants.", p.TenantID))
	}
}

// ModifyPlan runs the resource's plan-time checks (planSwitchover): the roles, a switchover already
// running, busy tenants, and OCP's precheck.
func (a *tenantSwitchoverAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil || req.Config.Raw.IsNull() {
		return
	}
	var m tenantSwitchoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.AllowWarnings.IsUnknown() {
		return
	}
	primary, standby, ok, diags := m.pair(ctx)
	resp.Diagnostics.Append(diags...)
	if !ok || diags.HasError() || primary.TenantID == standby.TenantID {
		return
	}
	sp, ps := dr.PlanSwitchover(ctx, a.client, dr.SwitchoverRequest{Primary: primary, Standby: standby, AllowWarnings: m.allowWarnings()})
	resp.Diagnostics.Append(problemDiagnostics(ps, switchoverInput)...)
	if !ps.HasError() && !sp.Needed {
		resp.Diagnostics.AddWarning("Roles already as requested",
			fmt.Sprintf("%s is PRIMARY and %s STANDBY already: invoking the action will start no switchover.",
				upperFirst(dr.Label(sp.Pair.Primary)), dr.Label(sp.Pair.Standby)))
	}
}

func (a *tenantSwitchoverAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m tenantSwitchoverActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.Append(notConfiguredDiagnostic())
		return
	}
	primary, standby, ok, diags := m.pair(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !ok {
		resp.Diagnostics.AddError("Unknown tenant ids", "primary and standby must be known when the action is invoked.")
		return
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultSwitchoverTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	rep := actionReporter{resp}
	rep.Say(fmt.Sprintf("switchover: %s should become PRIMARY and %s STANDBY", primary, standby))
	out, ps := dr.RunSwitchover(ctx, a.client, dr.SwitchoverRequest{Primary: primary, Standby: standby, AllowWarnings: m.allowWarnings()},
		dr.SwitchoverRun{
			Reporter: rep,
			OnTask: func(t ocp.Task, _ dr.SwitchoverOutcome) {
				rep.Say(fmt.Sprintf("waiting for switchover task %d (%q, %s)", t.ID, t.Name, t.Status))
			},
		})
	resp.Diagnostics.Append(problemDiagnostics(ps, switchoverInput)...)
	switch {
	case out.Task == nil || !out.Started && !out.Attached:
		return
	case out.Started:
		rep.Say(fmt.Sprintf("switchover task %d, started by this action, ended %s", out.Task.ID, out.Task.Status))
	default:
		rep.Say(fmt.Sprintf("switchover task %d was already running (not started again) and ended %s", out.Task.ID, out.Task.Status))
	}
	if !ps.HasError() {
		rep.Say("switchover done: " + out.After.Describe())
	}
	// Last, the drill's evidence in one line: task, times, duration, the standby before the switch.
	rep.Say(switchoverEvidenceLine(out))
}
