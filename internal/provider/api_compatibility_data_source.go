package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/compat"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var _ datasource.DataSourceWithConfigure = (*apiCompatibilityDataSource)(nil)

// NewAPICompatibilityDataSource returns the ocp_api_compatibility data source.
func NewAPICompatibilityDataSource() datasource.DataSource { return &apiCompatibilityDataSource{} }

type apiCompatibilityDataSource struct {
	client *ocp.Client
}

type apiCompatibilityModel struct {
	ID         types.String           `tfsdk:"id"`
	Clusters   []types.Int64          `tfsdk:"clusters"`
	Tenants    []compatTenantModel    `tfsdk:"tenants"`
	TaskID     types.Int64            `tfsdk:"task_id"`
	Precheck   *compatPrecheckModel   `tfsdk:"precheck"`
	Report     types.Bool             `tfsdk:"report"`
	OCPVersion types.String           `tfsdk:"ocp_version"`
	OBVersions []types.String         `tfsdk:"ob_versions"`
	Summary    map[string]types.Int64 `tfsdk:"summary"`
	NotHeld    []types.String         `tfsdk:"not_held"`
	Checks     []compatCheckModel     `tfsdk:"checks"`
	Table      types.String           `tfsdk:"table"`
	ReportJSON types.String           `tfsdk:"report_json"`
}

type compatTenantModel struct {
	ClusterID types.Int64 `tfsdk:"cluster_id"`
	TenantID  types.Int64 `tfsdk:"tenant_id"`
}

type compatPrecheckModel struct {
	ClusterID       types.Int64 `tfsdk:"cluster_id"`
	TenantID        types.Int64 `tfsdk:"tenant_id"`
	StandbyTenantID types.Int64 `tfsdk:"standby_tenant_id"`
}

type compatCheckModel struct {
	ID         types.String `tfsdk:"id"`
	Assumption types.String `tfsdk:"assumption"`
	Source     types.String `tfsdk:"source"`
	Result     types.String `tfsdk:"result"`
	Seen       types.String `tfsdk:"seen"`
	Impact     types.String `tfsdk:"impact"`
}

func (d *apiCompatibilityDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_compatibility"
}

func (d *apiCompatibilityDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	optionalID := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Optional: true, MarkdownDescription: desc, Validators: positiveID}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks the provider's assumptions about OCP's API against your OCP, with the provider's usual " +
			"credentials: it reads the clusters and tenants named, the first page of OCP's task list, one task's detail, " +
			"OCP's build information (`GET /api/v2/info`) and the answer to an unknown task id, and says of each assumption " +
			"whether it `held`, is `missing` or `different`, or was `not checked`, with the fields OCP actually sent. " +
			"Read-only: it sends GET requests only, except OCP's switchover precheck (a POST that changes nothing), which it " +
			"sends only when `precheck` is set. With `report = true`, `report_json` holds OCP's answers with credentials, " +
			"host names and addresses redacted, for a bug report. Only a refusal of the credentials (HTTP 401) or an " +
			"unreachable OCP is an error: every other answer, a 404 included, is a finding. The API compatibility guide " +
			"lists every assumption, its source and the check that verifies it.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Always `api-compatibility`."),
			"clusters": schema.ListAttribute{
				Optional:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "IDs of OCP clusters to read (`GET /api/v2/ob/clusters/{id}`). A primary and a standby " +
					"cluster show the relations and the standby's delay.",
				Validators: []validator.List{listvalidator.ValueInt64sAre(int64validator.AtLeast(1))},
			},
			"tenants": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Tenants to read (`GET /api/v2/ob/clusters/{cluster_id}/tenants/{tenant_id}`). A primary " +
					"and its standby show the DR fields of both.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"cluster_id": clusterIDAttribute("ID of the OCP cluster that holds the tenant."),
					"tenant_id":  tenantIDAttribute("ID of the tenant."),
				}},
			},
			"task_id": optionalID("ID of a task whose detail to read (`GET /api/v2/tasks/instances/{id}`); a past " +
				"switchover or failover is best. When null, the first task of the task list's first page is read, if any."),
			"precheck": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "A primary tenant and its standby to run OCP's switchover precheck for " +
					"(`POST …/switchoverPreCheck`). The precheck changes nothing in OCP, but it is a POST: it is sent only " +
					"when this is set. When null, the `precheck.answer` check is `not checked`.",
				Attributes: map[string]schema.Attribute{
					"cluster_id":        clusterIDAttribute("ID of the OCP cluster that holds the primary tenant."),
					"tenant_id":         tenantIDAttribute("ID of the primary tenant."),
					"standby_tenant_id": tenantIDAttribute("ID of its standby tenant."),
				},
			},
			"report": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Set `report_json` (default `false`).",
			},
			"ocp_version": computedString("OCP's build version (`buildVersion` of `GET /api/v2/info`); null when OCP does " +
				"not report it. The OceanBase versions are in `ob_versions`."),
			"ob_versions": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The OceanBase version of each cluster and tenant read that reports one, as `\"tenant 2000022 of cluster 3000009: 4.2.1.2\"`.",
			},
			"summary": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.Int64Type,
				MarkdownDescription: "How many checks `held`, are `missing`, `different` and `not checked`.",
			},
			"not_held": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the checks that are `missing` or `different`, in the order of `checks`.",
			},
			"checks": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every check, in a fixed order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         computedString("The check's id, for example `tenant.role`."),
					"assumption": computedString("What the provider relies on."),
					"source": computedString("Where the fact comes from: `[doc]` and the page of OCP's API reference, or " +
						"`[assumed]` where OCP documents nothing."),
					"result": computedString("`held`, `missing`, `different` (another form or value; some are accepted all " +
						"the same, as `impact` says) or `not checked` (nothing read could tell)."),
					"seen":   computedString("What OCP sent that decided it: field names, forms and values, redacted."),
					"impact": computedString("What the provider does with the fact, and what follows when it does not hold."),
				}},
			},
			"table": computedString("The result as text for a terminal: OCP's and OceanBase's versions, the counts, and " +
				"one line per check (`terraform output -raw`)."),
			"report_json": computedString("With `report = true`: the checks and every request's answer as JSON, with " +
				"credentials, the OCP host, host names, IP addresses and host fields redacted; null otherwise."),
		},
	}
}

func (d *apiCompatibilityDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *apiCompatibilityDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m apiCompatibilityModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r, err := compat.Assess(ctx, d.client, compatRequest(m))
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic("Error checking OCP's API compatibility", "the API compatibility check", err))
		return
	}
	var report []byte
	if m.Report.ValueBool() {
		if report, err = r.JSON(); err != nil {
			resp.Diagnostics.AddError("Error writing the compatibility report", err.Error())
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newAPICompatibilityModel(m, r, report))...)
}

// compatRequest maps the arguments onto the check's request.
func compatRequest(m apiCompatibilityModel) compat.Request {
	req := compat.Request{TaskID: m.TaskID.ValueInt64()}
	for _, c := range m.Clusters {
		req.Clusters = append(req.Clusters, c.ValueInt64())
	}
	for _, t := range m.Tenants {
		req.Tenants = append(req.Tenants, compat.TenantRef{ClusterID: t.ClusterID.ValueInt64(), TenantID: t.TenantID.ValueInt64()})
	}
	if p := m.Precheck; p != nil {
		req.Precheck = &compat.PrecheckRef{ClusterID: p.ClusterID.ValueInt64(), TenantID: p.TenantID.ValueInt64(),
			StandbyTenantID: p.StandbyTenantID.ValueInt64()}
	}
	return req
}

// newAPICompatibilityModel is the state: the arguments as given and the report (report null unless asked).
func newAPICompatibilityModel(args apiCompatibilityModel, r *compat.Report, report []byte) apiCompatibilityModel {
	m := args
	m.ID = types.StringValue("api-compatibility")
	m.OCPVersion = optionalString(r.OCPVersion)
	m.OBVersions = make([]types.String, 0, len(r.OBVersions))
	for _, v := range r.OBVersions {
		m.OBVersions = append(m.OBVersions, types.StringValue(v))
	}
	m.Summary = map[string]types.Int64{}
	for res, n := range r.Summary() {
		m.Summary[string(res)] = types.Int64Value(int64(n))
	}
	m.NotHeld = []types.String{}
	m.Checks = make([]compatCheckModel, 0, len(r.Checks))
	for _, c := range r.Checks {
		m.Checks = append(m.Checks, compatCheckModel{ID: types.StringValue(c.ID), Assumption: types.StringValue(c.Assumption),
			Source: types.StringValue(c.Source), Result: types.StringValue(string(c.Result)), Seen: types.StringValue(c.Seen),
			Impact: types.StringValue(c.Impact)})
		if c.Result == compat.Missing || c.Result == compat.Different {
			m.NotHeld = append(m.NotHeld, types.StringValue(c.ID))
		}
	}
	m.Table = types.StringValue(r.Table())
	m.ReportJSON = types.StringNull()
	if report != nil {
		m.ReportJSON = types.StringValue(string(report))
	}
	return m
}
