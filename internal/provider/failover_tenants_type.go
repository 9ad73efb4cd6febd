package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The set type of ocp_tenant_failover.tenants. It behaves as the framework's set in every way but cost:
// the framework compares a set with its prior value element by element against every other element
// (semantic equality after each apply) and checks it for duplicates the same way, both quadratic in its
// size; for a batch of 200 tenants that was most of the provider's CPU in an apply. This type says at once
// when the whole set equals its prior value, and finds duplicates by a map.

var (
	_ basetypes.SetTypable                    = failoverTenantsType{}
	_ basetypes.SetValuableWithSemanticEquals = failoverTenantsValue{}
)

type failoverTenantsType struct{ basetypes.SetType }

func (t failoverTenantsType) Equal(o attr.Type) bool {
	other, ok := o.(failoverTenantsType)
	return ok && t.SetType.Equal(other.SetType)
}

func (t failoverTenantsType) String() string {
	return "failoverTenantsType[" + t.ElemType.String() + "]"
}

func (t failoverTenantsType) ValueFromSet(_ context.Context, in basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return failoverTenantsValue{SetValue: in}, nil
}

func (t failoverTenantsType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	set, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return failoverTenantsValue{SetValue: set}, nil
}

func (t failoverTenantsType) ValueType(context.Context) attr.Value { return failoverTenantsValue{} }

// Validate rejects duplicate elements, as the framework's set type does, by their rendering. (The
// elements are objects of plain attributes, whose rendering is canonical.)
func (t failoverTenantsType) Validate(_ context.Context, in tftypes.Value, at path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil || !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(at, "Set Type Validation Error", "An unexpected error was encountered trying to validate "+
			"an attribute value. This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		return diags
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		if !e.IsFullyKnown() {
			continue
		}
		key := e.String()
		if seen[key] {
			diags.AddAttributeError(at, "Duplicate Set Element",
				fmt.Sprintf("This attribute contains duplicate values of: %s", e))
			continue
		}
		seen[key] = true
	}
	return diags
}

type failoverTenantsValue struct{ basetypes.SetValue }

func (v failoverTenantsValue) Type(ctx context.Context) attr.Type {
	return failoverTenantsType{SetType: basetypes.SetType{ElemType: v.ElementType(ctx)}}
}

func (v failoverTenantsValue) Equal(o attr.Value) bool {
	other, ok := o.(failoverTenantsValue)
	return ok && v.SetValue.Equal(other.SetValue)
}

// SetSemanticEquals says the new value is the prior one when they are equal, so that the framework keeps
// the prior value without comparing every element with every other.
func (v failoverTenantsValue) SetSemanticEquals(ctx context.Context, prior basetypes.SetValuable) (bool, diag.Diagnostics) {
	p, diags := prior.ToSetValue(ctx)
	return v.SetValue.Equal(p), diags
}
