package acctest

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// Terraform runs actions only from 1.14 on, and terraform-plugin-testing cannot invoke them, so action
// tests talk to the provider's protocol server directly, as Terraform would: GetProviderSchema,
// ConfigureProvider, then ValidateActionConfig / PlanAction / InvokeAction with configurations built
// from the action's own schema. The same server also plans resources, for plan-time warnings that
// terraform-plugin-testing does not expose.

// ProtocolServer is the provider's protocol server, configured against one simulator.
type ProtocolServer struct {
	t      testing.TB
	srv    tfprotov6.ProviderServerWithActions //nolint:staticcheck // the only interface with the action RPCs in terraform-plugin-go v0.31
	schema *tfprotov6.GetProviderSchemaResponse
}

// ProtocolServer starts the provider in-process (no terraform binary) and configures it with the
// simulator's URL and credentials.
func (f *Fixture) ProtocolServer(t testing.TB) *ProtocolServer {
	t.Helper()
	s, err := providerserver.NewProtocol6WithError(provider.New("test", provider.WithPollInterval(PollInterval))())()
	if err != nil {
		t.Fatal(err)
	}
	srv, ok := s.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // see ProtocolServer.srv
	if !ok {
		t.Fatalf("the provider server %T does not serve actions", s)
	}
	ctx := t.Context()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, "GetProviderSchema", sch.Diagnostics)
	p := &ProtocolServer{t: t, srv: srv, schema: sch}

	cfg := p.dynamicValue(sch.Provider.ValueType(), map[string]any{"url": f.URL, "username": Username, "password": Password})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, "ConfigureProvider", resp.Diagnostics)
	return p
}

// ActionTypes lists the actions the provider serves.
func (p *ProtocolServer) ActionTypes() []string {
	var out []string
	for name := range p.schema.ActionSchemas {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ActionSchema returns an action's schema as Terraform receives it.
func (p *ProtocolServer) ActionSchema(actionType string) *tfprotov6.Schema {
	p.t.Helper()
	s, ok := p.schema.ActionSchemas[actionType]
	if !ok || s.Schema == nil {
		p.t.Fatalf("no action %q (have %v)", actionType, p.ActionTypes())
	}
	return s.Schema
}

// ActionConfig builds an action's configuration from Go values keyed by attribute or block name:
// numbers as int/int64, strings, bools, lists as []any or []map[string]any, objects and single
// blocks as map[string]any. Attributes left out are null.
func (p *ProtocolServer) ActionConfig(actionType string, values map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	return p.dynamicValue(p.ActionSchema(actionType).ValueType(), values)
}

// ValidateAction runs ValidateActionConfig (schema validators and config validators).
func (p *ProtocolServer) ValidateAction(actionType string, values map[string]any) Diagnostics {
	p.t.Helper()
	resp, err := p.srv.ValidateActionConfig(p.t.Context(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, values)})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// PlanAction runs PlanAction, which calls the action's ModifyPlan: the plan-time checks.
func (p *ProtocolServer) PlanAction(actionType string, values map[string]any) Diagnostics {
	p.t.Helper()
	resp, err := p.srv.PlanAction(p.t.Context(), &tfprotov6.PlanActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, values)})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// Invocation is what one InvokeAction streamed: its progress messages in order, and the diagnostics of
// the final event.
type Invocation struct {
	Progress    []string
	Diagnostics Diagnostics
	// Completed is false when the stream ended without its final event.
	Completed bool
}

// ProgressMatching returns the progress messages that contain every one of subs.
func (inv Invocation) ProgressMatching(subs ...string) []string {
	var out []string
next:
	for _, m := range inv.Progress {
		for _, s := range subs {
			if !strings.Contains(m, s) {
				continue next
			}
		}
		out = append(out, m)
	}
	return out
}

// InvokeAction runs InvokeAction and drains its event stream.
func (p *ProtocolServer) InvokeAction(actionType string, values map[string]any) Invocation {
	p.t.Helper()
	stream, err := p.srv.InvokeAction(p.t.Context(), &tfprotov6.InvokeActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, values)})
	if err != nil {
		p.t.Fatal(err)
	}
	var inv Invocation
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			inv.Progress = append(inv.Progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			inv.Diagnostics = e.Diagnostics
			inv.Completed = true
		}
	}
	return inv
}

// PlanResourceCreate plans the creation of a resource from Go values (as ActionConfig), as Terraform
// does for a new or replaced resource, and returns the diagnostics: the way to see a resource's
// plan-time warnings.
func (p *ProtocolServer) PlanResourceCreate(typeName string, values map[string]any) Diagnostics {
	p.t.Helper()
	s, ok := p.schema.ResourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("no resource %q", typeName)
	}
	typ := s.ValueType()
	cfg := p.dynamicValue(typ, values)
	prior := p.dynamicValue(typ, nil)
	resp, err := p.srv.PlanResourceChange(p.t.Context(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: prior, ProposedNewState: cfg, Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// ResourceType is a resource's value type as the provider's schema gives it, to decode planned states.
func (p *ProtocolServer) ResourceType(typeName string) tftypes.Type {
	p.t.Helper()
	s, ok := p.schema.ResourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("no resource %q", typeName)
	}
	return s.ValueType()
}

// Server is the provider's protocol server itself, for callers (benchmarks) that send RPCs of their own.
func (p *ProtocolServer) Server() tfprotov6.ProviderServer { return p.srv }

// ResourceValue encodes a resource's configuration or state from Go values (as ActionConfig); nil
// values is a null object, the prior state of a resource being created.
func (p *ProtocolServer) ResourceValue(typeName string, values map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	s, ok := p.schema.ResourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("no resource %q", typeName)
	}
	return p.dynamicValue(s.ValueType(), values)
}

// Schemas is the provider's schema response, as Terraform receives it.
func (p *ProtocolServer) Schemas() *tfprotov6.GetProviderSchemaResponse { return p.schema }

// DynamicValue encodes Go values (as ActionConfig) as a value of typ; nil values is null.
func (p *ProtocolServer) DynamicValue(typ tftypes.Type, values map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	return p.dynamicValue(typ, values)
}

func (p *ProtocolServer) dynamicValue(typ tftypes.Type, values map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	var v tftypes.Value
	if values == nil {
		v = tftypes.NewValue(typ, nil)
	} else {
		var err error
		if v, err = toValue(typ, values); err != nil {
			p.t.Fatal(err)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// toValue converts a Go value to a tftypes.Value of typ; nil is null.
func toValue(typ tftypes.Type, v any) (tftypes.Value, error) {
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	switch {
	case typ.Is(tftypes.String):
		s, ok := v.(string)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a string, got %T", v)
		}
		return tftypes.NewValue(typ, s), nil
	case typ.Is(tftypes.Bool):
		b, ok := v.(bool)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a bool, got %T", v)
		}
		return tftypes.NewValue(typ, b), nil
	case typ.Is(tftypes.Number):
		switch n := v.(type) {
		case int:
			return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
		case int64:
			return tftypes.NewValue(typ, new(big.Float).SetInt64(n)), nil
		case float64:
			return tftypes.NewValue(typ, big.NewFloat(n)), nil
		}
		return tftypes.Value{}, fmt.Errorf("want a number, got %T", v)
	}
	switch t := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want map[string]any for an object, got %T", v)
		}
		for k := range m {
			if _, ok := t.AttributeTypes[k]; !ok {
				return tftypes.Value{}, fmt.Errorf("no attribute %q in %s", k, t)
			}
		}
		attrs := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			av, err := toValue(at, m[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = av
		}
		return tftypes.NewValue(t, attrs), nil
	case tftypes.List:
		elems, err := toElements(t.ElementType, v)
		if err != nil {
			return tftypes.Value{}, err
		}
		return tftypes.NewValue(t, elems), nil
	case tftypes.Set:
		elems, err := toElements(t.ElementType, v)
		if err != nil {
			return tftypes.Value{}, err
		}
		return tftypes.NewValue(t, elems), nil
	case tftypes.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want map[string]any for a map, got %T", v)
		}
		out := map[string]tftypes.Value{}
		for k, ev := range m {
			ev2, err := toValue(t.ElementType, ev)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%q]: %w", k, err)
			}
			out[k] = ev2
		}
		return tftypes.NewValue(t, out), nil
	}
	return tftypes.Value{}, fmt.Errorf("unsupported type %s", typ)
}

func toElements(elem tftypes.Type, v any) ([]tftypes.Value, error) {
	var items []any
	switch l := v.(type) {
	case []any:
		items = l
	case []map[string]any:
		for _, m := range l {
			items = append(items, m)
		}
	case []string:
		for _, s := range l {
			items = append(items, s)
		}
	default:
		return nil, fmt.Errorf("want a slice for a list, got %T", v)
	}
	out := make([]tftypes.Value, 0, len(items))
	for i, it := range items {
		ev, err := toValue(elem, it)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// Diagnostics are protocol diagnostics with helpers for assertions.
type Diagnostics []*tfprotov6.Diagnostic

// Errors returns the error diagnostics.
func (ds Diagnostics) Errors() Diagnostics { return ds.bySeverity(tfprotov6.DiagnosticSeverityError) }

// Warnings returns the warning diagnostics.
func (ds Diagnostics) Warnings() Diagnostics {
	return ds.bySeverity(tfprotov6.DiagnosticSeverityWarning)
}

func (ds Diagnostics) bySeverity(s tfprotov6.DiagnosticSeverity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// String prints every diagnostic as "SEVERITY: summary: detail", one per paragraph.
func (ds Diagnostics) String() string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	return strings.Join(parts, "\n\n")
}

func failOnErrors(t testing.TB, what string, ds Diagnostics) {
	t.Helper()
	if errs := ds.Errors(); len(errs) > 0 {
		t.Fatalf("%s: %s", what, errs)
	}
}
