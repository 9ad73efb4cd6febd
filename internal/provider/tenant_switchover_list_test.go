package provider_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The ocp_tenant_switchover list resource at the protocol level (no terraform binary; these run in the
// race run too): what ListResource streams for the default world, its filters and limit, its errors, and
// that each resource object is exactly what import and read put into state.

// defaultWorldClusters are the clusters of the default world's tenant pairs.
var defaultWorldClusters = []any{int64(3000009), int64(3000010), int64(3000013), int64(3000014)}

// defaultWorldPairs are their pairs as identities (first/second by tenant id), in list order.
var defaultWorldPairs = []string{
	"3000009/2000022,3000010/2000025", "3000013/2000101,3000014/2000102", "3000013/2000111,3000014/2000112",
	"3000013/2000121,3000014/2000122", "3000013/2000131,3000014/2000132", "3000013/2000131,3000014/2000133",
	"3000013/2000131,3000014/2000134",
}

// listed is what one ListResource call streamed.
type listed struct {
	identities   []string
	displayNames []string
	resources    []tftypes.Value // nil entries when no resource object was sent
	diags        acctest.Diagnostics
}

func listPairs(t *testing.T, p *acctest.ProtocolServer, cfg map[string]any, includeResource bool, limit int64) listed {
	t.Helper()
	srv, ok := p.Server().(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // the only interface with the list RPCs in terraform-plugin-go v0.31
	if !ok {
		t.Fatalf("the provider server %T does not serve list resources", p.Server())
	}
	ls, ok := p.Schemas().ListResourceSchemas[switchoverType]
	if !ok {
		t.Fatalf("no list resource %s", switchoverType)
	}
	stream, err := srv.ListResource(t.Context(), &tfprotov6.ListResourceRequest{TypeName: switchoverType,
		Config: p.DynamicValue(ls.ValueType(), cfg), IncludeResource: includeResource, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	resType := p.Schemas().ResourceSchemas[switchoverType].ValueType()
	var out listed
	for r := range stream.Results {
		out.diags = append(out.diags, r.Diagnostics...)
		if r.Identity == nil {
			if r.Resource != nil || r.DisplayName != "" {
				t.Errorf("a result without identity: %+v", r)
			}
			continue
		}
		out.identities = append(out.identities, identityOf(t, r.Identity))
		out.displayNames = append(out.displayNames, r.DisplayName)
		var v tftypes.Value
		if r.Resource != nil {
			if v, err = r.Resource.Unmarshal(resType); err != nil {
				t.Fatal(err)
			}
		}
		out.resources = append(out.resources, v)
	}
	return out
}

// importedState is the state of ocp_tenant_switchover after importing id and reading it.
func importedState(t *testing.T, p *acctest.ProtocolServer, id string) tftypes.Value {
	t.Helper()
	srv := p.Server()
	imp, err := srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: switchoverType, ID: id})
	if err != nil || len(imp.ImportedResources) != 1 {
		t.Fatalf("import %s: %v %v", id, err, acctest.Diagnostics(imp.Diagnostics))
	}
	r := imp.ImportedResources[0]
	read, err := srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{TypeName: switchoverType, CurrentState: r.State,
		CurrentIdentity: r.Identity, Private: r.Private})
	if err != nil || len(acctest.Diagnostics(read.Diagnostics).Errors()) > 0 {
		t.Fatalf("read %s: %v %v", id, err, acctest.Diagnostics(read.Diagnostics))
	}
	v, err := read.NewState.Unmarshal(p.Schemas().ResourceSchemas[switchoverType].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTenantSwitchoverListProtocol(t *testing.T) {
	t.Parallel()

	t.Run("default world", func(t *testing.T) {
		t.Parallel()
		p := acctest.NewSimulator(t, ocpsim.Config{}).ProtocolServer(t)
		got := listPairs(t, p, map[string]any{"cluster_ids": defaultWorldClusters}, true, 100)
		if !slices.Equal(got.identities, defaultWorldPairs) {
			t.Fatalf("identities %v\nwant       %v", got.identities, defaultWorldPairs)
		}
		if w := got.diags.Warnings(); len(got.diags) != 1 || len(w) != 1 || w[0].Summary != "Primary tenant with several standbys" ||
			!strings.Contains(w[0].Detail, "batch_p (tenant 2000131 of cluster 3000013)") {
			t.Errorf("diagnostics: %v", got.diags)
		}
		if want := "primary ohayo_1 (tenant 2000022 of cluster 3000009), standby ohayo_2 (tenant 2000025 of cluster 3000010)"; got.displayNames[0] != want {
			t.Errorf("display name %q, want %q", got.displayNames[0], want)
		}
		// Each resource object is what import and read put into state, so that generated
		// configuration plans no change.
		for i, id := range got.identities {
			want := importedState(t, p, id)
			if !got.resources[i].Equal(want) {
				t.Errorf("pair %s: listed resource\n%s\nimported state\n%s", id, got.resources[i], want)
			}
		}
		// No resource object unless asked for.
		if got := listPairs(t, p, map[string]any{"cluster_ids": defaultWorldClusters}, false, 100); len(got.identities) != 7 || got.resources[0].Type() != nil {
			t.Errorf("without include_resource: %d results, first resource %v", len(got.identities), got.resources[0])
		}
	})

	t.Run("current roles after a switchover", func(t *testing.T) {
		t.Parallel()
		f := acctest.NewSimulator(t, ocpsim.Config{})
		switchInOCP(t, f, ohayo1, ohayo2)
		p := f.ProtocolServer(t)
		got := listPairs(t, p, map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": "ohayo_1"}, true, 100)
		if !slices.Equal(got.identities, defaultWorldPairs[:1]) || len(got.diags) != 0 {
			t.Fatalf("identities %v, diagnostics %v", got.identities, got.diags)
		}
		if want := "primary ohayo_2 (tenant 2000025 of cluster 3000010), standby ohayo_1 (tenant 2000022 of cluster 3000009)"; got.displayNames[0] != want {
			t.Errorf("display name %q, want %q", got.displayNames[0], want)
		}
		if want := importedState(t, p, defaultWorldPairs[0]); !got.resources[0].Equal(want) {
			t.Errorf("listed resource\n%s\nimported state\n%s", got.resources[0], want)
		}
		if !strings.Contains(got.resources[0].String(), `"tenant_id":tftypes.Number<"2000025">`) {
			t.Errorf("resource %s", got.resources[0])
		}
	})

	t.Run("filter, limit, clusters repeated", func(t *testing.T) {
		t.Parallel()
		p := acctest.NewSimulator(t, ocpsim.Config{}).ProtocolServer(t)
		cases := []struct {
			cfg   map[string]any
			limit int64
			want  []string
			diags int
		}{
			{map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": "orders_s"}, 100, defaultWorldPairs[1:2], 0},
			{map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": "batch_p"}, 100, defaultWorldPairs[4:], 1},
			{map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": "nobody"}, 100, nil, 0},
			{map[string]any{"cluster_ids": defaultWorldClusters}, 2, defaultWorldPairs[:2], 1},
			{map[string]any{"cluster_ids": append(slices.Clone(defaultWorldClusters), int64(3000009), int64(3000011))}, 100, defaultWorldPairs, 1},
			// The standbys' cluster alone: each standby's primary is elsewhere, said per standby.
			{map[string]any{"cluster_ids": []any{int64(3000014)}}, 100, nil, 6},
		}
		for i, tc := range cases {
			got := listPairs(t, p, tc.cfg, false, tc.limit)
			if !slices.Equal(got.identities, tc.want) || len(got.diags) != tc.diags || len(got.diags.Errors()) != 0 {
				t.Errorf("case %d %v limit %d: identities %v, diagnostics %v", i, tc.cfg, tc.limit, got.identities, got.diags)
			}
		}
	})

	t.Run("unknown cluster", func(t *testing.T) {
		t.Parallel()
		p := acctest.NewSimulator(t, ocpsim.Config{}).ProtocolServer(t)
		got := listPairs(t, p, map[string]any{"cluster_ids": append(slices.Clone(defaultWorldClusters), int64(42))}, true, 100)
		errs := got.diags.Errors()
		if len(got.identities) != 0 || len(errs) != 1 || errs[0].Summary != "Error listing the tenants of a cluster" ||
			!strings.Contains(errs[0].Detail, "OCP does not know cluster 42") || errs[0].Attribute == nil ||
			!strings.Contains(fmt.Sprint(errs[0].Attribute), "cluster_ids") {
			t.Fatalf("identities %v, diagnostics %v (attribute %v)", got.identities, got.diags, errs)
		}
	})

	t.Run("no roles reported", func(t *testing.T) {
		t.Parallel()
		p := acctest.NewSimulator(t, ocpsim.Config{OmitTenantDRFields: true}).ProtocolServer(t)
		got := listPairs(t, p, map[string]any{"cluster_ids": defaultWorldClusters}, true, 100)
		errs := got.diags.Errors()
		if len(got.identities) != 0 || len(errs) != 1 || errs[0].Summary != "OCP does not report the tenants' roles" ||
			!strings.Contains(errs[0].Detail, "does not guess") {
			t.Fatalf("identities %v, diagnostics %v", got.identities, got.diags)
		}
	})
}

// The list config is validated before anything is read: at least one cluster, positive ids, a
// non-empty name.
func TestTenantSwitchoverListValidation(t *testing.T) {
	t.Parallel()
	p := acctest.NewSimulator(t, ocpsim.Config{}).ProtocolServer(t)
	srv, ok := p.Server().(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // see listPairs
	if !ok {
		t.Fatal("no list resource server")
	}
	typ := p.Schemas().ListResourceSchemas[switchoverType].ValueType()
	cases := []struct {
		cfg  map[string]any
		want string // "" valid
	}{
		{map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": "ohayo_1"}, ""},
		{map[string]any{"cluster_ids": []any{}}, "at least 1"},
		{map[string]any{"cluster_ids": []any{int64(3000009), int64(0)}}, "at least 1"},
		{map[string]any{"cluster_ids": defaultWorldClusters, "tenant_name": ""}, "at least 1"},
	}
	for i, tc := range cases {
		resp, err := srv.ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: switchoverType, Config: p.DynamicValue(typ, tc.cfg)})
		if err != nil {
			t.Fatal(err)
		}
		errs := acctest.Diagnostics(resp.Diagnostics).Errors()
		switch {
		case tc.want == "" && len(errs) > 0:
			t.Errorf("case %d: %v", i, errs)
		case tc.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Detail, tc.want)):
			t.Errorf("case %d: want an error with %q, got %v", i, tc.want, errs)
		}
	}
}
