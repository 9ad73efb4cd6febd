package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func testTenantsType() failoverTenantsType {
	return failoverTenantsType{SetType: basetypes.SetType{ElemType: types.ObjectType{AttrTypes: failoverTenantAttrTypes}}}
}

func tenantsTerraformValue(t *testing.T, ids ...int64) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	typ := testTenantsType()
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = failoverTenantObject(failoverTenantModel{TenantID: types.Int64Value(id), ServiceName: types.StringNull()})
	}
	set, diags := types.SetValue(typ.ElemType, elems)
	if diags.HasError() {
		t.Fatal(diags)
	}
	v, err := set.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFailoverTenantsTypeValidate(t *testing.T) {
	ctx := context.Background()
	at := path.Root("tenants")
	if d := testTenantsType().Validate(ctx, tenantsTerraformValue(t, 1, 2, 3), at); d.HasError() {
		t.Errorf("distinct tenants: %v", d)
	}
	// tftypes refuses to build a set with duplicates, as Terraform never sends one; build it raw.
	obj := tenantsTerraformValue(t, 7)
	var elems []tftypes.Value
	if err := obj.As(&elems); err != nil {
		t.Fatal(err)
	}
	dup := tftypes.NewValue(obj.Type(), []tftypes.Value{elems[0], elems[0]})
	d := testTenantsType().Validate(ctx, dup, at)
	if d.ErrorsCount() != 1 || d[0].Summary() != "Duplicate Set Element" {
		t.Errorf("duplicate tenants: got %v, want one Duplicate Set Element error", d)
	}
}

func TestFailoverTenantsTypeRoundTrip(t *testing.T) {
	ctx := context.Background()
	v, err := testTenantsType().ValueFromTerraform(ctx, tenantsTerraformValue(t, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	tv, ok := v.(failoverTenantsValue)
	if !ok {
		t.Fatalf("ValueFromTerraform gave %T, want failoverTenantsValue", v)
	}
	if !tv.Type(ctx).Equal(testTenantsType()) {
		t.Errorf("value's type %s is not the attribute's", tv.Type(ctx))
	}
	if len(tv.Elements()) != 2 {
		t.Errorf("elements: %d, want 2", len(tv.Elements()))
	}
}

func TestFailoverTenantsSemanticEquals(t *testing.T) {
	ctx := context.Background()
	value := func(ids ...int64) failoverTenantsValue {
		v, err := testTenantsType().ValueFromTerraform(ctx, tenantsTerraformValue(t, ids...))
		if err != nil {
			t.Fatal(err)
		}
		return v.(failoverTenantsValue)
	}
	for _, tc := range []struct {
		name       string
		now, prior failoverTenantsValue
		want       bool
	}{
		{"same tenants", value(1, 2, 3), value(1, 2, 3), true},
		{"a tenant added", value(1, 2, 3), value(1, 2), false},
		{"another tenant", value(1, 4), value(1, 2), false},
	} {
		got, d := tc.now.SetSemanticEquals(ctx, tc.prior)
		if d.HasError() || got != tc.want {
			t.Errorf("%s: SetSemanticEquals = %v (%v), want %v", tc.name, got, d, tc.want)
		}
	}
}
