package provider_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The resource identity of ocp_tenant_switchover: the pair as two tenants, the lower tenant id first.

const switchoverType = "ocp_tenant_switchover"

var identityAttrs = []string{"first_cluster_id", "first_tenant_id", "second_cluster_id", "second_tenant_id"}

// identityType is the identity's object type, as Terraform sees it.
func identityType() tftypes.Object {
	at := map[string]tftypes.Type{}
	for _, a := range identityAttrs {
		at[a] = tftypes.Number
	}
	return tftypes.Object{AttributeTypes: at}
}

// identityValue is the identity {first, second} of two tenants given as {cluster, tenant}, in that order.
func identityValue(t *testing.T, first, second [2]int64) *tfprotov6.DynamicValue {
	t.Helper()
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n)) }
	v := tftypes.NewValue(identityType(), map[string]tftypes.Value{
		"first_cluster_id": num(first[0]), "first_tenant_id": num(first[1]),
		"second_cluster_id": num(second[0]), "second_tenant_id": num(second[1]),
	})
	dv, err := tfprotov6.NewDynamicValue(identityType(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// identityOf decodes an identity as "c/t,c/t" (first, second); "" when there is none.
func identityOf(t *testing.T, id *tfprotov6.ResourceIdentityData) string {
	t.Helper()
	if id == nil || id.IdentityData == nil {
		return ""
	}
	v, err := id.IdentityData.Unmarshal(identityType())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	n := func(name string) string {
		var f big.Float
		if err := m[name].As(&f); err != nil {
			t.Fatal(err)
		}
		return f.Text('f', 0)
	}
	return n("first_cluster_id") + "/" + n("first_tenant_id") + "," + n("second_cluster_id") + "/" + n("second_tenant_id")
}

// stateAttr decodes a resource state and returns a top-level string attribute and the nested
// primary.tenant_id.
func stateSummary(t *testing.T, p *acctest.ProtocolServer, state *tfprotov6.DynamicValue) (id string, primary int64) {
	t.Helper()
	typ := p.Schemas().ResourceSchemas[switchoverType].ValueType()
	v, err := state.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	if err := m["id"].As(&id); err != nil {
		t.Fatal(err)
	}
	var pm map[string]tftypes.Value
	if err := m["primary"].As(&pm); err != nil {
		t.Fatal(err)
	}
	var f big.Float
	if err := pm["tenant_id"].As(&f); err != nil {
		t.Fatal(err)
	}
	primary, _ = f.Int64()
	return id, primary
}

// The identity schema Terraform receives: four numbers, all required for an import by identity.
func TestTenantSwitchoverIdentitySchema(t *testing.T) {
	t.Parallel()
	p := acctest.NewSimulator(t, ocpsim.Config{}).ProtocolServer(t)
	resp, err := p.Server().GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v", acctest.Diagnostics(resp.Diagnostics))
	}
	s, ok := resp.IdentitySchemas[switchoverType]
	if !ok {
		t.Fatalf("no identity schema for %s (have %v)", switchoverType, resp.IdentitySchemas)
	}
	if len(s.IdentityAttributes) != len(identityAttrs) {
		t.Fatalf("identity attributes %+v", s.IdentityAttributes)
	}
	for _, a := range s.IdentityAttributes {
		if !a.Type.Is(tftypes.Number) || !a.RequiredForImport || strings.TrimSpace(a.Description) == "" {
			t.Errorf("identity attribute %s: type %s, required for import %t, description %q", a.Name, a.Type, a.RequiredForImport, a.Description)
		}
	}
	// Only the switchover pair has an identity: the failover resources are one-shot operations.
	if len(resp.IdentitySchemas) != 1 {
		t.Errorf("identity schemas for %d resources", len(resp.IdentitySchemas))
	}
}

// Import by identity (either order: the identity written back is ordered) or by string id, then Read:
// the identity is the pair's, the state has the PRIMARY first.
func TestTenantSwitchoverImportByIdentityProtocol(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	srv := p.Server()

	importAndRead := func(t *testing.T, req *tfprotov6.ImportResourceStateRequest) (string, string, int64) {
		t.Helper()
		req.TypeName = switchoverType
		resp, err := srv.ImportResourceState(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(acctest.Diagnostics(resp.Diagnostics).Errors()) > 0 || len(resp.ImportedResources) != 1 {
			t.Fatalf("import: %v, %d resources", acctest.Diagnostics(resp.Diagnostics), len(resp.ImportedResources))
		}
		imp := resp.ImportedResources[0]
		read, err := srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{TypeName: switchoverType,
			CurrentState: imp.State, CurrentIdentity: imp.Identity, Private: imp.Private})
		if err != nil {
			t.Fatal(err)
		}
		if len(acctest.Diagnostics(read.Diagnostics).Errors()) > 0 {
			t.Fatalf("read: %v", acctest.Diagnostics(read.Diagnostics))
		}
		if got, want := identityOf(t, read.NewIdentity), identityOf(t, imp.Identity); got != want {
			t.Errorf("identity after read %q, after import %q", got, want)
		}
		id, primary := stateSummary(t, p, read.NewState)
		return identityOf(t, imp.Identity), id, primary
	}

	const want = "3000009/2000022,3000010/2000025"
	cases := map[string]*tfprotov6.ImportResourceStateRequest{
		"identity in order":    {Identity: &tfprotov6.ResourceIdentityData{IdentityData: identityValue(t, ohayo1, ohayo2)}},
		"identity reversed":    {Identity: &tfprotov6.ResourceIdentityData{IdentityData: identityValue(t, ohayo2, ohayo1)}},
		"string id":            {ID: "3000009/2000022,3000010/2000025"},
		"string id, reversed":  {ID: "3000010/2000025,3000009/2000022"},
		"string id, no spaces": {ID: " 3000010 / 2000025 , 3000009/2000022 "},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			identity, id, primary := importAndRead(t, req)
			if identity != want || id != want || primary != ohayo1[1] {
				t.Errorf("identity %q, id %q, primary %d; want %q, %q, %d", identity, id, primary, want, want, ohayo1[1])
			}
		})
	}

	t.Run("invalid identity", func(t *testing.T) {
		resp, err := srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: switchoverType,
			Identity: &tfprotov6.ResourceIdentityData{IdentityData: identityValue(t, ohayo1, [2]int64{3000010, ohayo1[1]})}})
		if err != nil {
			t.Fatal(err)
		}
		errs := acctest.Diagnostics(resp.Diagnostics).Errors()
		if len(errs) != 1 || errs[0].Summary != "Invalid import identity" || !strings.Contains(errs[0].Detail, "the two tenants must differ") {
			t.Fatalf("diagnostics: %v", acctest.Diagnostics(resp.Diagnostics))
		}
		resp, err = srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: switchoverType,
			Identity: &tfprotov6.ResourceIdentityData{IdentityData: identityValue(t, ohayo1, [2]int64{0, 2000025})}})
		if err != nil {
			t.Fatal(err)
		}
		if errs := acctest.Diagnostics(resp.Diagnostics).Errors(); len(errs) != 1 || !strings.Contains(errs[0].Detail, "second_cluster_id must be a positive integer") {
			t.Fatalf("diagnostics: %v", acctest.Diagnostics(resp.Diagnostics))
		}
	})

	// A pair whose tenant is gone: Read forgets it, still with the pair's identity (the framework
	// wants one), and Terraform < 1.12, which never sends an identity, gets it too.
	t.Run("tenant gone", func(t *testing.T) {
		resp, err := srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: switchoverType,
			ID: "3000009/2000022,3000010/424242"})
		if err != nil {
			t.Fatal(err)
		}
		imp := resp.ImportedResources[0]
		read, err := srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{TypeName: switchoverType, CurrentState: imp.State})
		if err != nil {
			t.Fatal(err)
		}
		if errs := acctest.Diagnostics(read.Diagnostics).Errors(); len(errs) > 0 {
			t.Fatalf("read: %v", acctest.Diagnostics(read.Diagnostics))
		}
		if got := identityOf(t, read.NewIdentity); got != "3000010/424242,3000009/2000022" {
			t.Errorf("identity %q", got)
		}
	})
}

// With Terraform >= 1.12: the identity is in state from the first apply, stays the same when the roles
// swap (an update), and an import block with that identity imports the pair with a plan of no change.
func TestAccTenantSwitchover_identity(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformIdentity)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	identity := statecheck.ExpectIdentity(switchoverAddr, map[string]knownvalue.Check{
		"first_cluster_id":  knownvalue.Int64Exact(ohayo1[0]),
		"first_tenant_id":   knownvalue.Int64Exact(ohayo1[1]),
		"second_cluster_id": knownvalue.Int64Exact(ohayo2[0]),
		"second_tenant_id":  knownvalue.Int64Exact(ohayo2[1]),
	})
	asDeclared, swapped := switchoverConfig(f, ohayo1, ohayo2, ""), switchoverConfig(f, ohayo2, ohayo1, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: asDeclared, ConfigStateChecks: []statecheck.StateCheck{identity}, Check: expectSwitchovers(f, 0)},
			{Config: asDeclared, ResourceName: switchoverAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: asDeclared, ResourceName: switchoverAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithID, ImportStateId: "3000010/2000025,3000009/2000022"},
			{Config: swapped, ConfigStateChecks: []statecheck.StateCheck{identity}, Check: expectSwitchovers(f, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate)}}},
			{Config: swapped, ResourceName: switchoverAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}
