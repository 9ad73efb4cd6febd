// Command terraform-provider-ocp serves the OCP disaster-recovery provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

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
	if !debug {
		quietUnreadLogs(os.Getenv, os.Setenv)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ocpdr/ocp",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// quietUnreadLogs keeps the plugin SDK's loggers from writing what Terraform throws away. Unless told
// otherwise (TF_LOG_SDK, TF_LOG_PROVIDER), terraform-plugin-go logs at TRACE and leaves the filtering to
// Terraform, which reads every line from the provider's stderr and keeps those at or above the level of
// TF_LOG_PROVIDER (or TF_LOG), nothing when neither is set. At 200 resources planned and applied at once
// the framework's trace lines were a third of the provider's CPU time, and Terraform's parsing them a
// good part of its own. So the SDK and provider loggers get the level Terraform will show: OFF when no
// level is set, the level set otherwise; a variable already set, and a value Terraform reads as TRACE
// (JSON, or anything it does not know), are left alone. Not in -debug mode, whose stderr is read directly.
func quietUnreadLogs(getenv func(string) string, setenv func(string, string) error) {
	shown := strings.ToUpper(strings.TrimSpace(getenv("TF_LOG_PROVIDER")))
	if shown == "" {
		shown = strings.ToUpper(strings.TrimSpace(getenv("TF_LOG")))
	}
	switch shown {
	case "":
		shown = "OFF"
	case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF":
	default:
		return // Terraform shows TRACE: so do the SDK's defaults
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER"} {
		if getenv(name) == "" {
			_ = setenv(name, shown)
		}
	}
	// The framework's and the protocol's subsystem loggers write at the SDK logger's level, but without
	// a level of their own they prepare every TRACE line (field masking, context copies) before it is
	// dropped: a tenth of the provider's CPU in a plan of 200 resources. Give them the SDK's level.
	if sdk := getenv("TF_LOG_SDK"); sdk != "" {
		for _, name := range []string{"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"} {
			if getenv(name) == "" {
				_ = setenv(name, sdk)
			}
		}
	}
}
