package provider_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// uaRecorder serves the simulator and keeps the User-Agent of every request it sees.
type uaRecorder struct {
	next http.Handler
	mu   sync.Mutex
	uas  []string
}

func (r *uaRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.uas = append(r.uas, req.Method+" "+req.URL.Path+" => "+req.Header.Get("User-Agent"))
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *uaRecorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.uas...)
}

// The version the binary was built with (main.version, set by -ldflags in make and goreleaser) reaches
// OCP in the User-Agent of every request, with Terraform's version and the client's product token, so an
// OCP administrator can tell which provider release sent what.
func TestAccUserAgentCarriesVersion(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	const version = "1.2.3-uatest"

	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &uaRecorder{next: sim}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() { srv.Close(); sim.Close() })

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"ocp": providerserver.NewProtocol6WithError(provider.New(version, provider.WithPollInterval(acctest.PollInterval))()),
		},
		Steps: []resource.TestStep{{
			Config: `
provider "ocp" {
  url      = "` + srv.URL + `"
  username = "` + acctest.Username + `"
  password = "` + acctest.Password + `"
}
data "ocp_tenant" "primary" {
  cluster_id = 3000009
  tenant_id  = 2000022
}`,
		}},
	})

	seen := rec.seen()
	if len(seen) == 0 {
		t.Fatal("the provider sent no request to the simulator")
	}
	for _, s := range seen {
		_, ua, _ := strings.Cut(s, " => ")
		if !strings.HasPrefix(ua, "terraform-provider-ocp/"+version+" ") ||
			!strings.Contains(ua, " Terraform/1.") ||
			!strings.HasSuffix(ua, " ocp-go-client") {
			t.Errorf("request %s: User-Agent does not carry the provider version, Terraform's version and the client token", s)
		}
	}
	t.Logf("%d requests, e.g. %s", len(seen), seen[0])
}
