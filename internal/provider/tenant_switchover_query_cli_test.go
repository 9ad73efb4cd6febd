package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// `terraform query` of the ocp_tenant_switchover list resource (Terraform >= 1.14) against the simulator:
// the query output through terraform-plugin-testing's Query steps, and, since terraform-plugin-testing
// cannot pass -generate-config-out to a query, the adoption workflow through the terraform binary
// (acctest.Workdir): query -generate-config-out, plan and apply of the generated resource and import
// blocks, and a plan with no change after the import.

const allPairsList = `
list "ocp_tenant_switchover" "all" {
  provider         = ocp
  include_resource = true
  config {
    cluster_ids = [3000009, 3000010, 3000013, 3000014]
  }
}
`

// pairIdentity is the identity check of the pair "c/t,c/t" (first, second).
func pairIdentity(pair string) map[string]knownvalue.Check {
	var c1, t1, c2, t2 int64
	if _, err := fmt.Sscanf(pair, "%d/%d,%d/%d", &c1, &t1, &c2, &t2); err != nil {
		panic(err)
	}
	return map[string]knownvalue.Check{
		"first_cluster_id": knownvalue.Int64Exact(c1), "first_tenant_id": knownvalue.Int64Exact(t1),
		"second_cluster_id": knownvalue.Int64Exact(c2), "second_tenant_id": knownvalue.Int64Exact(t2),
	}
}

// tenantValues checks a listed resource's primary or standby object.
func tenantValues(which string, cluster, tenant int64, name, role string) []querycheck.KnownValueCheck {
	at := func(attr string) tfjsonpath.Path { return tfjsonpath.New(which).AtMapKey(attr) }
	return []querycheck.KnownValueCheck{
		{Path: at("cluster_id"), KnownValue: knownvalue.Int64Exact(cluster)},
		{Path: at("tenant_id"), KnownValue: knownvalue.Int64Exact(tenant)},
		{Path: at("name"), KnownValue: knownvalue.StringExact(name)},
		{Path: at("role"), KnownValue: knownvalue.StringExact(role)},
	}
}

func TestAccTenantSwitchoverList_query(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformQuery)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	allChecks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength("ocp_tenant_switchover.all", len(defaultWorldPairs)),
		querycheck.ExpectLength("ocp_tenant_switchover.by_name", 1),
		querycheck.ExpectLength("ocp_tenant_switchover.by_primary", 3),
		querycheck.ExpectLength("ocp_tenant_switchover.standbys_only", 0),
		querycheck.ExpectIdentity("ocp_tenant_switchover.by_name", pairIdentity(defaultWorldPairs[0])),
		querycheck.ExpectResourceDisplayName("ocp_tenant_switchover.by_name", queryfilter.ByResourceIdentity(pairIdentity(defaultWorldPairs[0])),
			knownvalue.StringExact("primary ohayo_1 (tenant 2000022 of cluster 3000009), standby ohayo_2 (tenant 2000025 of cluster 3000010)")),
		querycheck.ExpectResourceKnownValues("ocp_tenant_switchover.by_name", queryfilter.ByResourceIdentity(pairIdentity(defaultWorldPairs[0])),
			append(append([]querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(defaultWorldPairs[0])},
				{Path: tfjsonpath.New("allow_warnings"), KnownValue: knownvalue.Bool(true)},
				{Path: tfjsonpath.New("task_id"), KnownValue: knownvalue.Null()},
			}, tenantValues("primary", 3000009, 2000022, "ohayo_1", "PRIMARY")...), tenantValues("standby", 3000010, 2000025, "ohayo_2", "STANDBY")...)),
	}
	for _, pair := range defaultWorldPairs {
		allChecks = append(allChecks, querycheck.ExpectIdentity("ocp_tenant_switchover.all", pairIdentity(pair)))
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			// The query runs in the working directory of a configuration that configures the provider.
			{Config: f.ProviderBlock()},
			{
				Query: true,
				Config: allPairsList + `
list "ocp_tenant_switchover" "by_name" {
  provider         = ocp
  include_resource = true
  config {
    cluster_ids = [3000009, 3000010, 3000013, 3000014]
    tenant_name = "ohayo_2"
  }
}

list "ocp_tenant_switchover" "by_primary" {
  provider = ocp
  config {
    cluster_ids = [3000014, 3000013]
    tenant_name = "batch_p"
  }
}

list "ocp_tenant_switchover" "standbys_only" {
  provider = ocp
  config {
    cluster_ids = [3000014]
  }
}
`,
				QueryResultChecks: allChecks,
			},
			{
				// After a switchover made in OCP the pair is listed in its new roles, same identity.
				PreConfig: func() { switchInOCP(t, f, ohayo1, ohayo2) },
				Query:     true,
				Config: `
list "ocp_tenant_switchover" "ohayo" {
  provider         = ocp
  include_resource = true
  config {
    cluster_ids = [3000010, 3000009]
    tenant_name = "ohayo_1"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("ocp_tenant_switchover.ohayo", 1),
					querycheck.ExpectResourceKnownValues("ocp_tenant_switchover.ohayo", queryfilter.ByResourceIdentity(pairIdentity(defaultWorldPairs[0])),
						append(tenantValues("primary", 3000010, 2000025, "ohayo_2", "PRIMARY"), tenantValues("standby", 3000009, 2000022, "ohayo_1", "STANDBY")...)),
				},
			},
			{
				Query: true,
				Config: `
list "ocp_tenant_switchover" "typo" {
  provider = ocp
  config {
    cluster_ids = [3000009, 42]
  }
}
`,
				ExpectError: regexp.MustCompile(`Error listing the tenants of a cluster`),
			},
		},
	})
	if err := checkSwitchovers(f, 1); err != nil {
		t.Fatal(err) // the one switchInOCP made: listing starts nothing
	}
}

// OCP without the DR fields: the query fails and says why, rather than guessing pairs.
func TestAccTenantSwitchoverList_queryWithoutRoles(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformQuery)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{OmitTenantDRFields: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: f.ProviderBlock()},
			{Query: true, Config: allPairsList, ExpectError: regexp.MustCompile(`OCP does not report the tenants' roles`)},
		},
	})
}

// The adoption workflow a team runs: terraform query -generate-config-out writes a resource block and an
// import block (by identity) for each pair; plan shows only imports; apply imports them; the next plan
// is empty. Nothing is switched over, and no precheck runs.
func TestAccTenantSwitchoverList_generateConfig(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformQuery)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	w := acctest.NewWorkdir(t, f.ProviderBlock())
	if err := os.WriteFile(filepath.Join(w.Dir, "pairs.tfquery.hcl"), []byte(allPairsList), 0o600); err != nil {
		t.Fatal(err)
	}

	out := w.MustRun("query", "-generate-config-out=generated.tf").Output()
	lines := regexp.MustCompile(`(?m)^list\.ocp_tenant_switchover\.all\s+(\S+)\s+(.+)$`).FindAllStringSubmatch(out, -1)
	if len(lines) != len(defaultWorldPairs) {
		t.Fatalf("query listed %d pairs, want %d:\n%s", len(lines), len(defaultWorldPairs), out)
	}
	for i, pair := range defaultWorldPairs {
		var c1, t1, c2, t2 int64
		_, _ = fmt.Sscanf(pair, "%d/%d,%d/%d", &c1, &t1, &c2, &t2)
		want := fmt.Sprintf("first_cluster_id=%d,first_tenant_id=%d,second_cluster_id=%d,second_tenant_id=%d", c1, t1, c2, t2)
		if lines[i][1] != want || !strings.HasPrefix(lines[i][2], "primary ") {
			t.Errorf("query line %d: %q %q, want identity %q", i, lines[i][1], lines[i][2], want)
		}
	}
	assertOutputContains(t, "query", out, "Primary tenant with several standbys")

	gen := w.ReadFile("generated.tf")
	if n := strings.Count(gen, `resource "ocp_tenant_switchover" "all_`); n != len(defaultWorldPairs) {
		t.Fatalf("generated.tf has %d resource blocks:\n%s", n, gen)
	}
	if n := strings.Count(gen, "import {"); n != len(defaultWorldPairs) {
		t.Fatalf("generated.tf has %d import blocks:\n%s", n, gen)
	}
	flat := strings.Join(strings.Fields(gen), " ")
	for _, want := range []string{
		`resource "ocp_tenant_switchover" "all_0" { provider = ocp allow_warnings = true primary = { cluster_id = 3000009 tenant_id = 2000022 } standby = { cluster_id = 3000010 tenant_id = 2000025 } }`,
		`import { to = ocp_tenant_switchover.all_0 provider = ocp identity = { first_cluster_id = 3000009 first_tenant_id = 2000022 second_cluster_id = 3000010 second_tenant_id = 2000025 } }`,
		`primary = { cluster_id = 3000013 tenant_id = 2000131 } standby = { cluster_id = 3000014 tenant_id = 2000134 }`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("generated.tf lacks %q:\n%s", want, gen)
		}
	}

	plan := w.MustRun("plan").Output()
	assertOutputContains(t, "plan of the generated configuration", plan,
		fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", len(defaultWorldPairs)))
	w.MustRun("apply", "-auto-approve")
	r := w.Run("plan", "-detailed-exitcode")
	if r.Err != nil || !strings.Contains(r.Output(), "No changes.") {
		t.Fatalf("plan after the import is not empty (%v):\n%s", r.Err, r.Output())
	}
	state := w.MustRun("show", "-json").Stdout
	for _, want := range []string{`"identity":{"first_cluster_id":3000009,"first_tenant_id":2000022,"second_cluster_id":3000010,"second_tenant_id":2000025}`,
		`"id":"3000013/2000131,3000014/2000134"`} {
		if !strings.Contains(state, want) {
			t.Errorf("state lacks %s:\n%s", want, state)
		}
	}

	c := f.Sim.Counters()
	if c.Switchovers != 0 || c.Requests[ocpsim.RoutePrecheck] != 0 || c.Requests[ocpsim.RouteSwitchover] != 0 {
		t.Errorf("adopting the pairs called OCP's switchover or precheck: %+v", c)
	}
	if c.Requests[ocpsim.RouteTenantList] == 0 {
		t.Error("the query did not list tenants")
	}
}
