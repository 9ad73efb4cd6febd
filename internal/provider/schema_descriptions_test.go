package provider_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// The registry page of every type is generated from its schema (make docs), so every type, attribute and
// block must say what it is. The test walks the schema as Terraform receives it (GetProviderSchema), which
// covers the provider, resources, data sources, actions and any other kind added later in one place.
func TestSchemaDescriptions(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
		}
	}

	schemas := map[string]*tfprotov6.Schema{"provider": resp.Provider}
	add := func(kind string, m map[string]*tfprotov6.Schema) {
		for name, s := range m {
			schemas[kind+" "+name] = s
		}
	}
	add("resource", resp.ResourceSchemas)
	add("data source", resp.DataSourceSchemas)
	add("ephemeral resource", resp.EphemeralResourceSchemas)
	add("list resource", resp.ListResourceSchemas)
	for name, s := range resp.ActionSchemas {
		schemas["action "+name] = s.Schema
	}

	var missing []string
	for where, s := range schemas {
		if s == nil || s.Block == nil {
			missing = append(missing, where+": no schema")
			continue
		}
		missing = append(missing, undescribed(where, s.Block, true)...)
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no Description/MarkdownDescription (the generated docs would show them bare):\n  %s",
			len(missing), strings.Join(missing, "\n  "))
	}
	t.Logf("checked %d schemas", len(schemas))
}

// undescribed lists the attributes and nested blocks of b, at any depth, whose description is empty.
// The top-level block of a type is its page's description and must be set as well.
func undescribed(where string, b *tfprotov6.SchemaBlock, top bool) []string {
	var out []string
	if strings.TrimSpace(b.Description) == "" {
		if top {
			out = append(out, where+": the type itself")
		} else {
			out = append(out, where+" (block)")
		}
	}
	for _, a := range b.Attributes {
		out = append(out, undescribedAttr(where, a)...)
	}
	for _, nb := range b.BlockTypes {
		if nb.Block == nil {
			continue
		}
		out = append(out, undescribed(fmt.Sprintf("%s.%s", where, nb.TypeName), nb.Block, false)...)
	}
	return out
}

func undescribedAttr(where string, a *tfprotov6.SchemaAttribute) []string {
	var out []string
	name := where + "." + a.Name
	if strings.TrimSpace(a.Description) == "" {
		out = append(out, name)
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			out = append(out, undescribedAttr(name, na)...)
		}
	}
	return out
}
