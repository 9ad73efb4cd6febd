// Command testprovider is the provider as the acceptance tests run it out of process: the production
// provider, polling OCP tasks every acctest.PollInterval instead of every 2s. Tests that need a real
// provider process (kill -9 mid-apply, TF_LOG capture of the provider's own output) build and run it
// through Terraform's dev_overrides; see acctest.BuildProvider.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

func main() {
	err := providerserver.Serve(context.Background(), provider.New("test", provider.WithPollInterval(acctest.PollInterval)),
		providerserver.ServeOpts{Address: acctest.ProviderSource})
	if err != nil {
		log.Fatal(err)
	}
}
