// Package ecosystem holds the tests of what a user sees beside the provider's code: every directory under
// examples/ is formatted and valid against the provider's schema, the DR drill module applies against the
// simulator through the pipeline its guide describes, the Rego policy and its Terraform-native twin
// accept and deny real plans, and the release build's version reaches OCP in the User-Agent.
//
// The tests drive the real terraform binary against the real provider binary, built once per test run
// from the main package with -ldflags "-X main.version=…" (as make and goreleaser build it), through a
// dev_overrides CLI configuration: nothing is installed from a registry. Without terraform they skip.
package ecosystem
