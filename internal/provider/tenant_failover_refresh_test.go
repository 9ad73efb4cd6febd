package provider

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// A task that OCP no longer knows keeps its last status in the state, with a warning: the resource
// records an operation that happened, which a purged task list does not undo.
func TestRefreshTaskStatus_unknownTaskKeepsLastStatus(t *testing.T) {
	t.Parallel()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { srv.Close(); sim.Close() })
	c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword})
	if err != nil {
		t.Fatal(err)
	}

	confirm := func() (dr.FailoverStatus, error) { t.Fatal("a task OCP does not know was confirmed"); return "", nil }
	status, _, diags := refreshTaskStatus(t.Context(), c, 987654321, "SUCCESSFUL", confirm, "tenant 2000133 of cluster 3000014")
	if status != "SUCCESSFUL" || diags.HasError() || len(diags.Warnings()) != 1 ||
		!strings.Contains(diags.Warnings()[0].Detail(), "task 987654321") {
		t.Fatalf("status %q, diags %v", status, diags)
	}
}
