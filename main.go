// Command terraform-provider-ocp serves the OCP disaster-recovery provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// version is set at build time (-ldflags "-X main.version=…"); it appears in the User-Agent of every
// request the provider sends to OCP.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ocpdr/ocp",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
