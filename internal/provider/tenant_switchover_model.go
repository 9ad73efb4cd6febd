package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The ocp_tenant_switchover resource's model and its pure mapping to and from OCP's answers.

// tenantSwitchoverModel is the resource.
type tenantSwitchoverModel struct {
	ID            types.String   `tfsdk:"id"`
	Primary       types.Object   `tfsdk:"primary"`
	Standby       types.Object   `tfsdk:"standby"`
	AllowWarnings types.Bool     `tfsdk:"allow_warnings"`
	TaskID        types.Int64    `tfsdk:"task_id"`
	TaskStatus    types.String   `tfsdk:"task_status"`
	SwitchedAt    types.String   `tfsdk:"switched_at"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
	// LastSwitchover is the drill evidence (drill_evidence.go).
	LastSwitchover types.Object `tfsdk:"last_switchover"`
	PlannedAction  types.String `tfsdk:"planned_action"`
}

// switchoverTenantModel is the nested primary/standby object.
type switchoverTenantModel struct {
	ClusterID types.Int64  `tfsdk:"cluster_id"`
	TenantID  types.Int64  `tfsdk:"tenant_id"`
	Name      types.String `tfsdk:"name"`
	Role      types.String `tfsdk:"role"`
}

var switchoverTenantAttrTypes = map[string]attr.Type{
	"cluster_id": types.Int64Type,
	"tenant_id":  types.Int64Type,
	"name":       types.StringType,
	"role":       types.StringType,
}

// The model is read and written without the framework's reflection (tfsdk Get and Set, ObjectValue.As):
// terraform-plugin-framework v1.19.0 compiles a regular expression for every struct field it visits,
// and a plan of hundreds of pairs reads and writes the model several times per pair. The conversions
// below use the schema's own attribute types (ValueFromTerraform, ToTerraformValue), which is what the
// reflection ends in, and give the same values and the same errors for a value of the wrong type.

// fields lists the model's fields by attribute name, as pointers into m.
func (m *tenantSwitchoverModel) fields() map[string]any {
	return map[string]any{
		"id": &m.ID, "primary": &m.Primary, "standby": &m.Standby, "allow_warnings": &m.AllowWarnings,
		"task_id": &m.TaskID, "task_status": &m.TaskStatus, "switched_at": &m.SwitchedAt, "timeouts": &m.Timeouts,
		"last_switchover": &m.LastSwitchover,
		"planned_action":  &m.PlannedAction,
	}
}

// schemaType is what tfsdk.Config, Plan and State carry as their Schema: all that is needed of it here.
type schemaType interface {
	Type() attr.Type
}

// getSwitchover reads a whole ocp_tenant_switchover value (a config, plan or state's Raw, with its
// Schema), as tfsdk's Get would. A null or unknown value is an error, as it is for Get.
func getSwitchover(ctx context.Context, sch schemaType, raw tftypes.Value) (tenantSwitchoverModel, diag.Diagnostics) {
	var m tenantSwitchoverModel
	_, attrTypes, diags := schemaTypes(sch)
	if diags.HasError() {
		return m, diags
	}
	var vals map[string]tftypes.Value
	if !raw.IsKnown() || raw.IsNull() || raw.As(&vals) != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read the "+
			"ocp_tenant_switchover value (%s). This is always an error in the provider. Please report it to the provider developers.", raw))
		return m, diags
	}
	for name, field := range m.fields() {
		at, ok := attrTypes[name]
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("The schema has no attribute %q. "+
				"This is always an error in the provider. Please report it to the provider developers.", name))
			continue
		}
		v, err := at.ValueFromTerraform(ctx, vals[name])
		if err == nil {
			err = assignValue(field, v)
		}
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Value Conversion Error", "An unexpected error was encountered trying to read "+
				"the value. This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		}
	}
	return m, diags
}

// schemaTypes returns the schema's object type and its attribute types.
func schemaTypes(sch schemaType) (attr.Type, map[string]attr.Type, diag.Diagnostics) {
	var diags diag.Diagnostics
	typ := sch.Type()
	t, ok := typ.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Value Conversion Error", fmt.Sprintf("The schema's type %T has no attribute types. "+
			"This is always an error in the provider. Please report it to the provider developers.", typ))
		return nil, nil, diags
	}
	return typ, t.AttributeTypes(), diags
}

// assignValue stores v in the model field that field points at, when v is of the field's type.
func assignValue(field any, v attr.Value) error {
	ok := false
	switch f := field.(type) {
	case *types.String:
		*f, ok = v.(types.String)
	case *types.Int64:
		*f, ok = v.(types.Int64)
	case *types.Bool:
		*f, ok = v.(types.Bool)
	case *types.Object:
		*f, ok = v.(types.Object)
	case *timeouts.Value:
		*f, ok = v.(timeouts.Value)
	}
	if !ok {
		return fmt.Errorf("cannot store a %T in a %T", v, field)
	}
	return nil
}

// terraformValue encodes m as a value of the schema's type, for tfsdk's Set (which takes a
// tftypes.Value as it is). A field whose type differs from the schema's (a zero types.Object, say) is an
// error, as it is for Set.
func (m tenantSwitchoverModel) terraformValue(ctx context.Context, sch schemaType) (tftypes.Value, diag.Diagnostics) {
	typ, attrTypes, diags := schemaTypes(sch)
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	vals := map[string]attr.Value{
		"id": m.ID, "primary": m.Primary, "standby": m.Standby, "allow_warnings": m.AllowWarnings,
		"task_id": m.TaskID, "task_status": m.TaskStatus, "switched_at": m.SwitchedAt, "timeouts": m.Timeouts,
		"last_switchover": m.LastSwitchover,
		"planned_action":  m.PlannedAction,
	}
	out := make(map[string]tftypes.Value, len(vals))
	for name, v := range vals {
		at, ok := attrTypes[name]
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("The schema has no attribute %q. "+
				"This is always an error in the provider. Please report it to the provider developers.", name))
			continue
		}
		want := at.TerraformType(ctx)
		tv, err := v.ToTerraformValue(ctx)
		if err == nil && !want.Equal(tv.Type()) {
			err = fmt.Errorf("value of type %s where the schema has %s", tv.Type(), want)
		}
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Value Conversion Error", "An unexpected error was encountered trying to write "+
				"the value. This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
			continue
		}
		out[name] = tv
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ.TerraformType(ctx), out), diags
}

// setSwitchover writes m to a plan or state through set (its Set method).
func setSwitchover(ctx context.Context, sch schemaType, set func(context.Context, any) diag.Diagnostics, m tenantSwitchoverModel) diag.Diagnostics {
	v, diags := m.terraformValue(ctx, sch)
	if diags.HasError() {
		return diags
	}
	return set(ctx, v)
}

// tenantModelFrom reads a nested tenant object; a null or unknown object gives a model of unknowns.
func tenantModelFrom(_ context.Context, obj types.Object) (switchoverTenantModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if obj.IsNull() || obj.IsUnknown() {
		return switchoverTenantModel{ClusterID: types.Int64Unknown(), TenantID: types.Int64Unknown(),
			Name: types.StringUnknown(), Role: types.StringUnknown()}, nil
	}
	var m switchoverTenantModel
	attrs := obj.Attributes()
	fields := []struct {
		name  string
		field any
	}{{"cluster_id", &m.ClusterID}, {"tenant_id", &m.TenantID}, {"name", &m.Name}, {"role", &m.Role}}
	for _, f := range fields {
		v, ok := attrs[f.name]
		err := fmt.Errorf("the object has no attribute %q", f.name)
		if ok {
			err = assignValue(f.field, v)
		}
		if err != nil {
			diags.AddError("Object Conversion Error", "An unexpected error was encountered trying to read a tenant object. "+
				"This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		}
	}
	return m, diags
}

// pairModels reads the model's primary and standby tenant objects.
func (m tenantSwitchoverModel) pairModels(ctx context.Context) (primary, standby switchoverTenantModel, diags diag.Diagnostics) {
	primary, diags = tenantModelFrom(ctx, m.Primary)
	s, d := tenantModelFrom(ctx, m.Standby)
	diags.Append(d...)
	return primary, s, diags
}

// pairRefs returns the ids of the model's primary and standby, and false while any is unknown or null.
func (m tenantSwitchoverModel) pairRefs(ctx context.Context) (primary, standby dr.TenantRef, ok bool, diags diag.Diagnostics) {
	p, s, diags := m.pairModels(ctx)
	primary, ok1 := p.ref()
	standby, ok2 := s.ref()
	return primary, standby, ok1 && ok2 && !diags.HasError(), diags
}

// ref returns the tenant's ids, and false while either is unknown or null.
func (m switchoverTenantModel) ref() (dr.TenantRef, bool) {
	if m.ClusterID.IsUnknown() || m.ClusterID.IsNull() || m.TenantID.IsUnknown() || m.TenantID.IsNull() {
		return dr.TenantRef{}, false
	}
	return dr.TenantRef{ClusterID: m.ClusterID.ValueInt64(), TenantID: m.TenantID.ValueInt64()}, true
}

// tenantObject builds a nested tenant object. An empty name or role is null.
func tenantObject(ref dr.TenantRef, name string, role ocp.TenantRole) types.Object {
	return types.ObjectValueMust(switchoverTenantAttrTypes, map[string]attr.Value{
		"cluster_id": types.Int64Value(ref.ClusterID),
		"tenant_id":  types.Int64Value(ref.TenantID),
		"name":       optionalString(name),
		"role":       optionalString(string(role)),
	})
}

// tenantObjectFrom is a tenant as OCP reports it: a role OCP does not report is null.
func tenantObjectFrom(t ocp.Tenant) types.Object {
	role := t.Role
	if !t.RoleKnown() {
		role = ""
	}
	return tenantObject(dr.RefOf(t), t.Name, role)
}

// pairID is the resource id: both tenants as `<cluster_id>/<tenant_id>`, sorted by tenant id, so that
// it stays the same when the roles swap.
func pairID(a, b dr.TenantRef) string {
	if b.TenantID < a.TenantID {
		a, b = b, a
	}
	return fmt.Sprintf("%d/%d,%d/%d", a.ClusterID, a.TenantID, b.ClusterID, b.TenantID)
}

// parsePairID reads an import id, `<cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>`, in either order.
func parsePairID(id string) (dr.TenantRef, dr.TenantRef, error) {
	parts := strings.Split(strings.TrimSpace(id), ",")
	if len(parts) != 2 {
		return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("want two tenants separated by a comma, got %q", id)
	}
	var refs [2]dr.TenantRef
	for i, p := range parts {
		c, t, ok := strings.Cut(strings.TrimSpace(p), "/")
		if !ok {
			return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("want <cluster_id>/<tenant_id>, got %q", p)
		}
		cid, err1 := strconv.ParseInt(strings.TrimSpace(c), 10, 64)
		tid, err2 := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		if err1 != nil || err2 != nil || cid < 1 || tid < 1 {
			return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("cluster and tenant ids must be positive integers, got %q", p)
		}
		refs[i] = dr.TenantRef{ClusterID: cid, TenantID: tid}
	}
	if refs[0].TenantID == refs[1].TenantID {
		return dr.TenantRef{}, dr.TenantRef{}, fmt.Errorf("the two tenants must differ, got %q", id)
	}
	return refs[0], refs[1], nil
}

// holdsRoles reports whether a state says that the declared primary and standby hold their roles.
func holdsRoles(ctx context.Context, state tenantSwitchoverModel, primary, standby dr.TenantRef) bool {
	p, s, diags := state.pairModels(ctx)
	if diags.HasError() {
		return false
	}
	pr, ok1 := p.ref()
	sr, ok2 := s.ref()
	return ok1 && ok2 && pr == primary && sr == standby &&
		p.Role.ValueString() == string(ocp.RolePrimary) && s.Role.ValueString() == string(ocp.RoleStandby)
}

// withPair returns base with the tenants as OCP reports them: when exactly one is PRIMARY and the other
// STANDBY, primary is the one OCP reports PRIMARY (so a swap shows up as a change to plan); otherwise the
// order of the pair is kept and each role is what OCP reports. The state never claims a role OCP does
// not report.
func withPair(base tenantSwitchoverModel, pair dr.Pair) tenantSwitchoverModel {
	p, s := pair.Primary, pair.Standby
	if pair.Roles() == dr.RolesSwapped {
		p, s = s, p
	}
	base.Primary, base.Standby = tenantObjectFrom(p), tenantObjectFrom(s)
	base.ID = types.StringValue(pairID(dr.RefOf(p), dr.RefOf(s)))
	return base
}

// withRolesUnknown returns base with both tenants' roles null: after a switchover whose tenants could
// not be read again, the state claims neither the roles planned nor those from before.
func withRolesUnknown(base tenantSwitchoverModel, primary, standby dr.TenantRef) tenantSwitchoverModel {
	base.Primary, base.Standby = tenantObject(primary, nameOf(base.Primary), ""), tenantObject(standby, nameOf(base.Standby), "")
	return base
}

// nameOf is a tenant object's name ("" when unknown or null).
func nameOf(obj types.Object) string {
	m, diags := tenantModelFrom(context.Background(), obj)
	if diags.HasError() || m.Name.IsUnknown() || m.Name.IsNull() {
		return ""
	}
	return m.Name.ValueString()
}

// taskStatusUnknown is task_status after a start whose outcome is unknown: OCP may be running a
// switchover that no apply waits for, so the next plan and apply look in OCP's task list first.
const taskStatusUnknown = "UNKNOWN"

// withTask records a switchover task: its id and status and, once it succeeded, when it finished.
// A nil task leaves the task attributes as they are.
func withTask(base tenantSwitchoverModel, t *ocp.Task, now time.Time) tenantSwitchoverModel {
	if t == nil {
		return base
	}
	base.TaskID = types.Int64Value(t.ID)
	base.TaskStatus = types.StringValue(string(t.Status))
	if t.Status == ocp.TaskSuccessful {
		at := now
		if t.FinishTime != nil {
			at = *t.FinishTime
		}
		base.SwitchedAt = types.StringValue(at.UTC().Format(time.RFC3339))
	}
	return base
}

// knownOrNull replaces unknown task attributes (and last_switchover) with null: after apply every value
// must be known.
func knownOrNull(m tenantSwitchoverModel) tenantSwitchoverModel {
	if m.TaskID.IsUnknown() {
		m.TaskID = types.Int64Null()
	}
	if m.TaskStatus.IsUnknown() {
		m.TaskStatus = types.StringNull()
	}
	if m.SwitchedAt.IsUnknown() {
		m.SwitchedAt = types.StringNull()
	}
	if m.LastSwitchover.IsUnknown() {
		m.LastSwitchover = types.ObjectNull(lastSwitchoverAttrTypes)
	}
	if m.PlannedAction.IsUnknown() {
		m.PlannedAction = types.StringNull()
	}
	return m
}

// planned_action says what apply of the resource does. Its values:
//
//	none: roles already hold                            apply starts nothing (it reads the roles again)
//	switchover ohayo_1 (2000022) -> ohayo_2 (2000025)   apply switches the current primary over to the
//	                                                    current standby: it starts OCP's switchover, or
//	                                                    waits for one of the pair already running (the
//	                                                    plan then warns, naming the task)
//	wait for switchover task 5000000001                 apply waits for the task an earlier apply started
//	                                                    and recorded as RUNNING; it starts no other
//
// Terraform plans a resource twice, at plan and again at apply, and stops the apply when a value known
// at plan changes ("Provider produced inconsistent final plan"). So the value depends as little as
// possible on what OCP does between plan and apply:
//
//   - An update's value comes from the state Terraform refreshed at plan time, which both plans share
//     (plannedFromState). A switchover made in OCP meanwhile, or another apply's task starting or
//     ending, does not change it; apply adapts as it always did (it finds the roles in place, or waits
//     for the task), and never starts a switchover when the value is not `switchover …`.
//   - A create (or a replacement) has no state, so its value comes from OCP (plannedFromOCP), stated in
//     roles: a switchover of the pair that another apply starts meanwhile does not change it (apply
//     waits for that task). Roles that change between plan and apply do: Terraform then stops the apply
//     before the provider is asked to do anything, which is what a plan that said `none` must get when
//     the roles were swapped meanwhile, and a harmless stop (plan again) when they reached the declared
//     ones meanwhile.
const plannedNone = "none: roles already hold"

// plannedSwitchover is the switchover of the current primary to the current standby.
func plannedSwitchover(from, to switchoverTenantModel) string {
	return "switchover " + plannedTenant(from) + " -> " + plannedTenant(to)
}

// plannedTenant names a tenant in planned_action: `ohayo_1 (2000022)`, or `tenant 2000022` without a name.
func plannedTenant(t switchoverTenantModel) string {
	if t.Name.IsNull() || t.Name.IsUnknown() || t.Name.ValueString() == "" {
		return fmt.Sprintf("tenant %d", t.TenantID.ValueInt64())
	}
	return fmt.Sprintf("%s (%d)", t.Name.ValueString(), t.TenantID.ValueInt64())
}

// plannedWait is a wait for a switchover task already running.
func plannedWait(taskID int64) string { return fmt.Sprintf("wait for switchover task %d", taskID) }

// plannedStartsNothing reports whether a planned_action lets apply start no switchover.
func plannedStartsNothing(v types.String) bool {
	return !v.IsUnknown() && !v.IsNull() && !strings.HasPrefix(v.ValueString(), "switchover ")
}

// plannedFromState is the planned_action of an update of a resource whose state is known, from that
// state (as refreshed at plan time) and the declared tenants alone.
func plannedFromState(ctx context.Context, state tenantSwitchoverModel, primary, standby dr.TenantRef) string {
	if holdsRoles(ctx, state, primary, standby) {
		return plannedNone
	}
	if state.TaskStatus.ValueString() == string(ocp.TaskRunning) && !state.TaskID.IsNull() && !state.TaskID.IsUnknown() {
		return plannedWait(state.TaskID.ValueInt64())
	}
	p, s, diags := state.pairModels(ctx)
	if diags.HasError() {
		return ""
	}
	// Read puts the tenant OCP reports PRIMARY first; keep that order unless only the other one is PRIMARY.
	if p.Role.ValueString() != string(ocp.RolePrimary) && s.Role.ValueString() == string(ocp.RolePrimary) {
		p, s = s, p
	}
	return plannedSwitchover(p, s)
}

// plannedFromOCP is the planned_action of a create, from what the engine found in OCP. A switchover of the
// pair already running is stated in roles too (the plan's warning names the task): another apply may
// start one between this plan and the apply's own, and that must not change the value.
func plannedFromOCP(sp dr.SwitchoverPlan) string {
	if !sp.Needed {
		return plannedNone
	}
	from, to := sp.Pair.Current()
	return plannedSwitchover(tenantModelOf(from), tenantModelOf(to))
}

// plannedFromOutcome is the planned_action of an apply whose plan could not know it (the tenants were
// unknown at plan time): what the apply did.
func plannedFromOutcome(out dr.SwitchoverOutcome, priorTaskID int64) string {
	switch {
	case out.Attached && out.Task != nil && out.Task.ID == priorTaskID:
		return plannedWait(out.Task.ID)
	case out.Started || out.Attached || out.Unknown:
		from, to := out.Before.Current()
		return plannedSwitchover(tenantModelOf(from), tenantModelOf(to))
	default:
		return plannedNone
	}
}

// tenantModelOf is the name and ids of a tenant OCP reported, as planned_action names it.
func tenantModelOf(t ocp.Tenant) switchoverTenantModel {
	return switchoverTenantModel{ClusterID: types.Int64Value(t.ClusterID), TenantID: types.Int64Value(t.ID),
		Name: optionalString(t.Name), Role: optionalString(string(t.Role))}
}
