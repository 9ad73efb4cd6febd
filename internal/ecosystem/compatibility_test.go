package ecosystem_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// examples/compatibility against the simulator as the API compatibility guide runs it: apply with the
// tfvars of terraform.tfvars.example, then the table and the report from terraform output. The check sends
// nothing but GET requests (no precheck is set), and its report carries neither the simulator's address
// nor the password.
func TestCompatibilityExample(t *testing.T) {
	t.Parallel()
	sim := newSimulator(t)

	// A task for the task checks: the ohayo pair's switchover, run to its end before the check.
	c, err := ocp.New(ocp.Config{URL: sim.URL, Username: acctest.Username, Password: acctest.Password})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.Switchover(t.Context(), 3000009, ocp.SwitchoverRequest{TenantID: 2000022, StandbyTenantID: 2000025})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
	sim.mu.Lock()
	before := len(sim.uas)
	sim.mu.Unlock()

	tfvars, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "compatibility", "terraform.tfvars.example"))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorkdir(t, "examples/compatibility", map[string]string{"terraform.tfvars": string(tfvars)})
	w.env = sim.env()
	w.mustRun("apply", "-no-color", "-input=false", "-auto-approve")

	table := w.mustRun("output", "-raw", "compatibility_table").stdout
	for _, line := range []string{
		`(?m)^OCP version:  not reported \(GET /api/v2/info: HTTP 400, code 10001\)$`,
		`(?m)^Results:      27 held, 1 missing, 0 different, 1 not checked$`,
		`(?m)^Requests:     9 GET$`,
		`(?m)^held +tenant\.role +assumed +tenant 2000022 of cluster 3000009: STANDBY; tenant 2000025 of cluster 3000010: PRIMARY$`,
		`(?m)^held +cluster\.relations +doc\+assumed +cluster 3000011: standbyClusters \(1\); cluster 3000012 \(STANDBY\): primaryCluster\{id, name, obClusterId, type\}$`,
		`(?m)^held +task\.names +doc +DR tasks seen: "Switchover ob tenant for network mode"$`,
		`(?m)^not checked +precheck\.answer +`,
	} {
		if !regexp.MustCompile(line).MatchString(table) {
			t.Errorf("the table lacks a line matching %s:\n%s", line, table)
		}
	}

	var outputs struct {
		NotHeld  struct{ Value []string } `json:"not_held"`
		Versions struct {
			Value struct {
				OCP string   `json:"ocp"`
				OB  []string `json:"ob"`
			} `json:"value"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("output", "-json").stdout), &outputs); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(outputs.NotHeld.Value, []string{"ocp.version"}) || outputs.Versions.Value.OCP != "not reported" ||
		!slices.Contains(outputs.Versions.Value.OB, "cluster 3000012: 3.2.4.5") {
		t.Errorf("outputs: %+v", outputs)
	}

	// terraform output -raw compatibility_report > report.json
	report := w.mustRun("output", "-raw", "compatibility_report").stdout
	var doc struct {
		OCPURL    string `json:"ocp_url"`
		Exchanges []struct {
			Request    string          `json:"request"`
			HTTPStatus int             `json:"http_status"`
			Response   json.RawMessage `json:"response"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal([]byte(report), &doc); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, report)
	}
	if len(doc.Exchanges) != 9 || !strings.HasPrefix(doc.OCPURL, "http://<ocp-host>:") {
		t.Errorf("report: %s, %d exchanges", doc.OCPURL, len(doc.Exchanges))
	}
	for _, leak := range []string{"127.0.0.1", strings.TrimPrefix(sim.URL, "http://"), acctest.Password} {
		if strings.Contains(report, leak) || strings.Contains(table, leak) {
			t.Errorf("the report or the table carries %q", leak)
		}
	}

	sim.mu.Lock()
	sent := slices.Clone(sim.uas[before:])
	sim.mu.Unlock()
	if len(sent) == 0 {
		t.Fatal("the example sent no request")
	}
	for _, r := range sent {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("the compatibility check sent %s", r)
		}
	}
	if c := sim.Counters(); c.Switchovers != 1 || c.Prechecks != 0 {
		t.Errorf("counters after the check: %+v", c)
	}
}
