package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The ocp_tenant_switchover list resource (Terraform >= 1.14, `terraform query`): every primary/standby
// tenant pair among the tenants of the clusters named, each with its identity and the resource object
// ocp_tenant_switchover would hold for it in its current roles, so that `terraform query
// -generate-config-out=FILE` writes resource blocks and import blocks that plan no change once imported.
// The pairing is the DR engine's (dr.ListPairs); this file maps it to Terraform.

var (
	_ list.ListResource              = (*tenantSwitchoverList)(nil)
	_ list.ListResourceWithConfigure = (*tenantSwitchoverList)(nil)
)

// NewTenantSwitchoverListResource returns the ocp_tenant_switchover list resource.
func NewTenantSwitchoverListResource() list.ListResource { return &tenantSwitchoverList{} }

type tenantSwitchoverList struct {
	client *ocp.Client
}

// tenantSwitchoverListModel is the list block's config.
type tenantSwitchoverListModel struct {
	ClusterIDs []types.Int64 `tfsdk:"cluster_ids"`
	TenantName types.String  `tfsdk:"tenant_name"`
}

func (l *tenantSwitchoverList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant_switchover"
}

func (l *tenantSwitchoverList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the primary/standby tenant pairs among the tenants of the clusters named, each as an " +
			"`ocp_tenant_switchover` in its current roles (`primary` is the tenant OCP reports PRIMARY), with its identity: " +
			"`terraform query -generate-config-out=FILE` writes a resource block and an import block for each, which plan no " +
			"change once imported. Both tenants of a pair must be in the clusters named.",
		Attributes: map[string]listschema.Attribute{
			"cluster_ids": listschema.ListAttribute{
				ElementType: types.Int64Type,
				Required:    true,
				MarkdownDescription: "IDs of the OCP clusters whose tenants are read (each once, whatever the order). A pair is listed " +
					"when both its tenants are in these clusters: OCP does not say which cluster holds a standby's primary, so a " +
					"standby whose primary is elsewhere is reported in a warning (name that cluster too), not looked for.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueInt64sAre(int64validator.AtLeast(1))},
			},
			"tenant_name": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Lists only the pairs of which either tenant has exactly this name (for example the " +
					"primary's name, or the standby's). Unset lists every pair.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (l *tenantSwitchoverList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads the tenants of the clusters, pairs them (dr.ListPairs) and streams the pairs sorted by
// their tenant ids, after one result that carries the warnings (tenants that could not be paired, a
// primary of several standbys). An error (a cluster OCP does not know, no roles reported) lists nothing.
func (l *tenantSwitchoverList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg tenantSwitchoverListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.client == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{
			diag.NewErrorDiagnostic("Provider not configured", "The ocp provider was not configured, so the list cannot reach OCP.")})
		return
	}
	lreq := dr.PairListRequest{Filter: dr.PairFilter{TenantName: cfg.TenantName.ValueString()}}
	for _, id := range cfg.ClusterIDs {
		lreq.ClusterIDs = append(lreq.ClusterIDs, id.ValueInt64())
	}
	pairs, ps := dr.ListPairs(ctx, l.client, lreq)
	diags = problemDiagnostics(ps, func(p dr.Problem) (path.Path, bool) {
		return path.Root("cluster_ids"), p.Input == dr.InputCluster
	})
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(pairs)) > req.Limit {
		pairs = pairs[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		if len(diags) > 0 && !push(list.ListResult{Diagnostics: diags}) {
			return
		}
		for _, pair := range pairs {
			if !push(listedPair(ctx, req, pair)) {
				return
			}
		}
	}
}

// listedPair is one pair as a list result: its identity and, when asked for, the resource object.
func listedPair(ctx context.Context, req list.ListRequest, pair dr.Pair) list.ListResult {
	result := req.NewListResult(ctx)
	p, s := pair.Primary, pair.Standby
	result.DisplayName = fmt.Sprintf("primary %s, standby %s", dr.Label(p), dr.Label(s))
	result.Diagnostics.Append(setPairIdentity(ctx, result.Identity, dr.RefOf(p), dr.RefOf(s))...)
	if req.IncludeResource {
		m, diags := adoptedSwitchover(ctx, result.Resource.Schema, pair)
		result.Diagnostics.Append(diags...)
		if !diags.HasError() {
			result.Diagnostics.Append(setSwitchover(ctx, result.Resource.Schema, result.Resource.Set, m)...)
		}
	}
	return result
}

// adoptedSwitchover is what ocp_tenant_switchover holds for a pair in its current roles right after an
// import (ImportState, then Read): the id, both tenants as OCP reports them (the PRIMARY as primary),
// allow_warnings at its default, no task, no timeouts. Generated configuration from it therefore plans
// no change.
func adoptedSwitchover(ctx context.Context, sch schemaType, pair dr.Pair) (tenantSwitchoverModel, diag.Diagnostics) {
	m := tenantSwitchoverModel{
		AllowWarnings:  types.BoolValue(true),
		TaskID:         types.Int64Null(),
		TaskStatus:     types.StringNull(),
		SwitchedAt:     types.StringNull(),
		LastSwitchover: types.ObjectNull(lastSwitchoverAttrTypes),
	}
	_, attrTypes, diags := schemaTypes(sch)
	if diags.HasError() {
		return m, diags
	}
	tt, ok := attrTypes["timeouts"]
	if !ok {
		diags.AddError("Value Conversion Error", "The ocp_tenant_switchover schema has no timeouts block. "+
			"This is always an error in the provider. Please report it to the provider developers.")
		return m, diags
	}
	null, err := tt.ValueFromTerraform(ctx, tftypes.NewValue(tt.TerraformType(ctx), nil))
	if err == nil {
		err = assignValue(&m.Timeouts, null)
	}
	if err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered building a null timeouts block. "+
			"This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		return m, diags
	}
	return withPair(m, pair), diags
}
