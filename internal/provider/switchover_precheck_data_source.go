package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ datasource.DataSourceWithConfigure      = (*switchoverPrecheckDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*switchoverPrecheckDataSource)(nil)
)

// NewSwitchoverPrecheckDataSource returns the ocp_switchover_precheck data source.
func NewSwitchoverPrecheckDataSource() datasource.DataSource { return &switchoverPrecheckDataSource{} }

type switchoverPrecheckDataSource struct {
	client *ocp.Client
}

// switchoverPrecheckModel is SwitchoverPreCheckResult in snake_case, plus the arguments and two
// convenience lists.
type switchoverPrecheckModel struct {
	ID                  types.String              `tfsdk:"id"`
	ClusterID           types.Int64               `tfsdk:"cluster_id"`
	TenantID            types.Int64               `tfsdk:"tenant_id"`
	StandbyTenantID     types.Int64               `tfsdk:"standby_tenant_id"`
	Valid               types.Bool                `tfsdk:"valid"`
	Name                types.String              `tfsdk:"name"`
	ClusterName         types.String              `tfsdk:"cluster_name"`
	StandbyCheckResults []standbyCheckResultModel `tfsdk:"standby_check_results"`
	Errors              []types.String            `tfsdk:"errors"`
	Warnings            []types.String            `tfsdk:"warnings"`
}

// standbyCheckResultModel is ObTenantPreCheckResult.
type standbyCheckResultModel struct {
	Valid                    types.Bool         `tfsdk:"valid"`
	TenantID                 types.Int64        `tfsdk:"tenant_id"`
	Name                     types.String       `tfsdk:"name"`
	ClusterID                types.Int64        `tfsdk:"cluster_id"`
	ClusterName              types.String       `tfsdk:"cluster_name"`
	SyncSCN                  types.Int64        `tfsdk:"sync_scn"`
	PrimaryTenantServiceName types.String       `tfsdk:"primary_tenant_service_name"`
	CheckResults             []checkResultModel `tfsdk:"check_results"`
}

// checkResultModel is PreCheckResult.
type checkResultModel struct {
	Warning      types.Bool   `tfsdk:"warning"`
	ErrorCode    types.String `tfsdk:"error_code"`
	ErrorMessage types.String `tfsdk:"error_message"`
}

func (d *switchoverPrecheckDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_switchover_precheck"
}

func (d *switchoverPrecheckDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs OCP's switchover precheck for a primary tenant and its standby, and exports the answer " +
			"(`SwitchoverPreCheckResult`). Read-only: the precheck changes nothing, so it is safe on every plan. " +
			"A precheck that blocks the switchover is data (`valid = false`, with the reasons in `errors`), not an error: " +
			"use `errors` and `warnings` in `postcondition`s, `check` blocks or policy checks on the plan. " +
			"The `ocp_tenant_switchover` resource runs the same precheck itself when it plans a switchover.",
		Attributes: map[string]schema.Attribute{
			"id":         computedString("`<cluster_id>/<tenant_id>:<standby_tenant_id>`."),
			"cluster_id": clusterIDAttribute("ID of the OCP cluster that holds the primary tenant."),
			"tenant_id":  tenantIDAttribute("ID of the primary tenant, the one that would become standby."),
			"standby_tenant_id": tenantIDAttribute("ID of the standby tenant, the one that would become primary. " +
				"It may sit in another cluster; OCP finds it by its id."),
			"valid":        computedBool("Whether OCP allows the switchover: `false` when any check blocks it. Warnings do not make it `false`."),
			"name":         computedString("Name of the primary tenant."),
			"cluster_name": computedString("Name of the primary tenant's cluster."),
			"standby_check_results": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "One result per standby tenant (`ObTenantPreCheckResult`).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"valid":        computedBool("Whether this standby tenant can take part in the switchover."),
					"tenant_id":    computedInt64("ID of the standby tenant."),
					"name":         computedString("Name of the standby tenant."),
					"cluster_id":   computedInt64("ID of the standby tenant's cluster."),
					"cluster_name": computedString("Name of the standby tenant's cluster."),
					"sync_scn": computedInt64("The standby's synchronisation SCN (`syncScn`), as OCP reports it " +
						"(nanoseconds since the epoch on OceanBase 4.x)."),
					"primary_tenant_service_name": computedString("Service name of the primary tenant, if it has one."),
					"check_results": schema.ListNestedAttribute{
						Computed:            true,
						MarkdownDescription: "The checks that did not pass (`PreCheckResult`); empty when every check passed.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"warning": computedBool("`true` for a warning, which does not block the switchover; " +
								"`false` for an error, which does."),
							"error_code":    computedString("OCP's code of the check, for example `OBE26009`."),
							"error_message": computedString("OCP's message, meant for people."),
						}},
					},
				}},
			},
			"errors": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Every blocking check of every standby, as `\"CODE: message\"` " +
					"(for example `\"OBE26009: This operation is not allowed because …\"`). Empty when the switchover may proceed.",
			},
			"warnings": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Every warning of every standby, as `\"CODE: message\"` (for example `\"OBE26107: Automatic routing cannot be implemented …\"`).",
			},
		},
	}
}

func (d *switchoverPrecheckDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig rejects a precheck of a tenant against itself.
func (d *switchoverPrecheckDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var tenantID, standbyID types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("tenant_id"), &tenantID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("standby_tenant_id"), &standbyID)...)
	if resp.Diagnostics.HasError() || tenantID.IsUnknown() || tenantID.IsNull() || standbyID.IsUnknown() || standbyID.IsNull() {
		return
	}
	if tenantID.ValueInt64() == standbyID.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("standby_tenant_id"), "Primary and standby are the same tenant",
			fmt.Sprintf("tenant_id and standby_tenant_id both name tenant %d; a switchover needs two tenants.", tenantID.ValueInt64()))
	}
}

func (d *switchoverPrecheckDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m switchoverPrecheckModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	clusterID, tenantID, standbyID := m.ClusterID.ValueInt64(), m.TenantID.ValueInt64(), m.StandbyTenantID.ValueInt64()
	res, err := d.client.SwitchoverPrecheck(ctx, clusterID, ocp.SwitchoverRequest{TenantID: tenantID, StandbyTenantID: standbyID})
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic("Error running the switchover precheck",
			fmt.Sprintf("precheck of the switchover of primary %s to standby tenant %d", tenantTarget(clusterID, tenantID), standbyID), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newSwitchoverPrecheckModel(clusterID, tenantID, standbyID, res))...)
}

// newSwitchoverPrecheckModel maps OCP's answer onto the data source. The arguments are kept as given.
func newSwitchoverPrecheckModel(clusterID, tenantID, standbyID int64, res *ocp.PrecheckResult) switchoverPrecheckModel {
	m := switchoverPrecheckModel{
		ID:                  types.StringValue(fmt.Sprintf("%d/%d:%d", clusterID, tenantID, standbyID)),
		ClusterID:           types.Int64Value(clusterID),
		TenantID:            types.Int64Value(tenantID),
		StandbyTenantID:     types.Int64Value(standbyID),
		Valid:               types.BoolValue(res.Valid),
		Name:                types.StringValue(res.Name),
		ClusterName:         types.StringValue(res.ClusterName),
		StandbyCheckResults: make([]standbyCheckResultModel, 0, len(res.StandbyCheckResults)),
		Errors:              []types.String{},
		Warnings:            []types.String{},
	}
	for _, sr := range res.StandbyCheckResults {
		s := standbyCheckResultModel{
			Valid:                    types.BoolValue(sr.Valid),
			TenantID:                 types.Int64Value(sr.TenantID),
			Name:                     types.StringValue(sr.Name),
			ClusterID:                types.Int64Value(sr.ClusterID),
			ClusterName:              types.StringValue(sr.ClusterName),
			SyncSCN:                  types.Int64Value(sr.SyncSCN),
			PrimaryTenantServiceName: optionalString(sr.PrimaryTenantServiceName),
			CheckResults:             make([]checkResultModel, 0, len(sr.CheckResults)),
		}
		for _, cr := range sr.CheckResults {
			s.CheckResults = append(s.CheckResults, checkResultModel{
				Warning:      types.BoolValue(cr.Warning),
				ErrorCode:    types.StringValue(cr.ErrorCode),
				ErrorMessage: types.StringValue(cr.ErrorMessage),
			})
			line := types.StringValue(cr.ErrorCode + ": " + strings.TrimSpace(cr.ErrorMessage))
			if cr.Warning {
				m.Warnings = append(m.Warnings, line)
			} else {
				m.Errors = append(m.Errors, line)
			}
		}
		m.StandbyCheckResults = append(m.StandbyCheckResults, s)
	}
	return m
}
