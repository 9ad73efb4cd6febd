package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Schema pieces shared by the data sources. Resources and actions have their own schema packages in the
// framework, so their shared pieces sit beside them.

// positiveID rejects ids OCP cannot have, at plan time.
var positiveID = []validator.Int64{int64validator.AtLeast(1)}

func clusterIDAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Required: true, MarkdownDescription: desc, Validators: positiveID}
}

func tenantIDAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Required: true, MarkdownDescription: desc, Validators: positiveID}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
}

// optionalString maps OCP's "absent" (empty) onto null rather than "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// clientFrom takes the client that the provider's Configure handed over. It is nil before the provider
// is configured (for example during validate), which every type must tolerate.
func clientFrom(providerData any, diags *diag.Diagnostics) *ocp.Client {
	if providerData == nil {
		return nil
	}
	c, ok := providerData.(*ocp.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *ocp.Client, got %T. Please report this issue to the provider developers.", providerData))
		return nil
	}
	return c
}

// notConfiguredDiagnostic is the error of an action invoked while the provider has no client (Terraform
// always configures the provider first; this guards direct calls).
func notConfiguredDiagnostic() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider not configured", "The ocp provider was not configured, so the action cannot reach OCP.")
}
