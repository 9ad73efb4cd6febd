package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var _ datasource.DataSourceWithConfigure = (*tenantDataSource)(nil)

// NewTenantDataSource returns the ocp_tenant data source.
func NewTenantDataSource() datasource.DataSource { return &tenantDataSource{} }

type tenantDataSource struct {
	client *ocp.Client
}

type tenantDataSourceModel struct {
	ID                 types.String `tfsdk:"id"`
	ClusterID          types.Int64  `tfsdk:"cluster_id"`
	TenantID           types.Int64  `tfsdk:"tenant_id"`
	Name               types.String `tfsdk:"name"`
	ClusterName        types.String `tfsdk:"cluster_name"`
	Status             types.String `tfsdk:"status"`
	TenantRole         types.String `tfsdk:"tenant_role"`
	PrimaryTenantID    types.Int64  `tfsdk:"primary_tenant_id"`
	SyncStatus         types.String `tfsdk:"sync_status"`
	LogSyncDelayMillis types.Int64  `tfsdk:"log_sync_delay_millis"`
	ServiceName        types.String `tfsdk:"service_name"`
}

func (d *tenantDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant"
}

func (d *tenantDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one OceanBase tenant from OCP, with its role in a primary/standby pair and, on a standby, " +
			"its log synchronisation status and delay. Read-only.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<cluster_id>/<tenant_id>`.",
			},
			"cluster_id":   clusterIDAttribute("ID of the OCP cluster that holds the tenant."),
			"tenant_id":    tenantIDAttribute("ID of the tenant in OCP."),
			"name":         computedString("Tenant name."),
			"cluster_name": computedString("Name of the tenant's cluster."),
			"status":       computedString("OCP tenant status: `NORMAL`, `MODIFYING` while a task changes it, `CREATING`, `DELETING`, …"),
			"tenant_role": computedString("`PRIMARY` or `STANDBY`; null when OCP's tenant detail does not report a role (OCP's " +
				"published API has no role field: see the API compatibility guide), never a guess."),
			"primary_tenant_id": computedInt64("On a standby, the ID of its primary tenant; null on a primary."),
			"sync_status":       computedString("On a standby, its log synchronisation status (`NORMAL`, `STANDBY LOG NOT MATCH`, …); null on a primary."),
			"log_sync_delay_millis": computedInt64("On a standby, how far its logs lag behind the primary, in milliseconds; null where OCP does not report it. " +
				"This is the window of data a failover may lose."),
			"service_name": computedString("The tenant's service name, if it has one."),
		},
	}
}

func (d *tenantDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *tenantDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m tenantDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	clusterID, tenantID := m.ClusterID.ValueInt64(), m.TenantID.ValueInt64()
	t, err := d.client.GetTenant(ctx, clusterID, tenantID)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic("Error reading tenant", tenantTarget(clusterID, tenantID), err))
		return
	}
	if !t.RoleKnown() {
		resp.Diagnostics.AddWarning("OCP does not report the tenant's role", describeError(tenantTarget(clusterID, tenantID),
			&ocp.MissingRoleError{ClusterID: clusterID, TenantID: t.ID, Name: t.Name})+"\n\ntenant_role is null.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newTenantDataSourceModel(clusterID, t))...)
}

// newTenantDataSourceModel maps OCP's tenant detail onto the data source.
func newTenantDataSourceModel(clusterID int64, t *ocp.Tenant) tenantDataSourceModel {
	m := tenantDataSourceModel{
		ID:          types.StringValue(fmt.Sprintf("%d/%d", clusterID, t.ID)),
		ClusterID:   types.Int64Value(clusterID),
		TenantID:    types.Int64Value(t.ID),
		Name:        types.StringValue(t.Name),
		ClusterName: types.StringValue(t.ClusterName),
		Status:      types.StringValue(string(t.Status)),
		TenantRole:  types.StringNull(),
		ServiceName: optionalString(t.ServiceName),
		SyncStatus:  optionalString(t.SyncStatus),
	}
	if t.RoleKnown() {
		m.TenantRole = types.StringValue(string(t.Role))
	}
	if t.PrimaryTenantID != 0 {
		m.PrimaryTenantID = types.Int64Value(t.PrimaryTenantID)
	} else {
		m.PrimaryTenantID = types.Int64Null()
	}
	if t.LogSyncDelayMillis != nil {
		m.LogSyncDelayMillis = types.Int64Value(*t.LogSyncDelayMillis)
	} else {
		m.LogSyncDelayMillis = types.Int64Null()
	}
	return m
}

func tenantTarget(clusterID, tenantID int64) string {
	return fmt.Sprintf("tenant %d of cluster %d", tenantID, clusterID)
}
