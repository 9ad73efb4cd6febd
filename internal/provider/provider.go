// Package provider maps Terraform onto the OCP client: schemas, models, plan checks and diagnostics.
// It knows nothing of HTTP; everything that talks to OCP lives in internal/ocp.
package provider

import (
	"context"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

var (
	_ provider.Provider                  = (*ocpProvider)(nil)
	_ provider.ProviderWithActions       = (*ocpProvider)(nil)
	_ provider.ProviderWithListResources = (*ocpProvider)(nil)
)

// Option adjusts the provider at construction; tests use it to poll the simulator in milliseconds
// instead of reaching for a mutable global.
type Option func(*ocpProvider)

// WithPollInterval sets how often the client polls OCP tasks.
func WithPollInterval(d time.Duration) Option {
	return func(p *ocpProvider) { p.pollInterval = d }
}

// New returns the provider factory that providerserver.Serve and the tests use.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &ocpProvider{version: version, getenv: os.Getenv}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type ocpProvider struct {
	version      string
	pollInterval time.Duration
	getenv       func(string) string
}

// providerModel is the provider block.
type providerModel struct {
	URL             types.String `tfsdk:"url"`
	Username        types.String `tfsdk:"username"`
	Password        types.String `tfsdk:"password"`
	AccessKeyID     types.String `tfsdk:"access_key_id"`
	AccessKeySecret types.String `tfsdk:"access_key_secret"`
	CACertFile      types.String `tfsdk:"ca_cert_file"`
	Insecure        types.Bool   `tfsdk:"insecure"`
	RequestTimeout  types.String `tfsdk:"request_timeout"`
	MaxRetries      types.Int64  `tfsdk:"max_retries"`
}

func (p *ocpProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ocp"
	resp.Version = p.version
}

func (p *ocpProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs OceanBase disaster-recovery operations (switchover precheck, tenant switchover, " +
			"tenant and cluster failover) through the OceanBase Cloud Platform (OCP) API v2. Every argument may " +
			"instead come from the environment variable named in its description; an argument set to an empty string " +
			"counts as unset, so its environment variable applies. Use exactly one kind of " +
			"credential: `username`/`password` (HTTP Basic) or `access_key_id`/`access_key_secret` (OCP AccessKey signature). " +
			"When Terraform configures the provider, it checks the credentials with one read of OCP's task list, so that " +
			"credentials OCP refuses are one error of the provider block rather than one per resource.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Base URL of OCP, for example `https://ocp.example.com:8080` (without `/api/v2`). Environment: `" + envURL + "`.",
			},
			"username": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "OCP user for HTTP Basic authentication. Environment: `" + envUsername + "`.",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of `username`. Environment: `" + envPassword + "`.",
			},
			"access_key_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "OCP AccessKey ID for signed requests (OCP 4.2 and later). Environment: `" + envAccessKeyID + "`.",
			},
			"access_key_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "OCP AccessKey secret; it signs requests and is never sent. Environment: `" + envAccessKeySecret + "`.",
			},
			"ca_cert_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path to a PEM file of CA certificates to trust for OCP's TLS certificate, in addition to the system roots. Environment: `" + envCACertFile + "`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip verification of OCP's TLS certificate. Defaults to `false`; the provider warns when it is on. Environment: `" + envInsecure + "`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Time limit of one HTTP request to OCP, as a Go duration such as `30s` (the default). Waiting for a task is limited by each resource's `timeouts` instead. Environment: `" + envRequestTimeout + "`.",
				Validators:          []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a request that is safe to repeat (reads, task polling, the precheck) is retried on connection errors, HTTP 5xx and 429, with backoff. Defaults to 4. " +
					"Requests that start an operation are never repeated. Environment: `" + envMaxRetries + "`.",
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

func (p *ocpProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := clientConfig(m, p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = "terraform-provider-ocp/" + p.version + " (+https://registry.terraform.io/providers/ocpdr/ocp) Terraform/" + req.TerraformVersion
	cfg.PollInterval = p.pollInterval
	cfg.Logger = httpLogger(p.getenv)

	client, err := ocp.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid OCP provider configuration", err.Error())
		return
	}
	if !checkCredentials(ctx, client, credentialSources(m, p.getenv), &resp.Diagnostics) {
		return
	}
	resp.DataSourceData = client
	resp.ResourceData = client
	resp.ActionData = client
	resp.ListResourceData = client
}

// credentialsCheckTimeout bounds the one request of checkCredentials: an OCP that does not answer it
// in time is left to the resources, which say what they were doing when it did not answer.
const credentialsCheckTimeout = 10 * time.Second

// checkCredentials asks OCP, once per provider configuration, whether it accepts the credentials, and
// reports false (with one error on the provider block, saying where each credential came from) when it
// refuses them.
//
// Why here: every resource and data source that reads OCP would otherwise fail with the same HTTP 401,
// each with its own error, and Terraform prints them all (it consolidates identical warnings, not
// errors, and these differ in their targets and trace ids anyway). Terraform calls Configure once per
// provider configuration and command walk (a plan; an apply's own walk), before any resource or data
// source of it, so the check costs one request per run and walk, not one per object, and when it fails
// Terraform plans nothing else of this provider. The request is OCP's documented task list, page 1 of
// size 1 (GET /api/v2/tasks/instances?page=1&size=1): cheap, read-only, and the permission every
// operation of the provider needs to follow its task. It is sent once, without retries.
//
// Only a 401 fails the configuration: OCP refusing the credentials means no request can succeed. Any
// other failure (OCP down or slow, a 403 on the task list, a proxy's page) is logged and left to the
// resources and data sources, which retry what can be retried, say what they were doing, and may not
// need what the check failed on. Unknown url or credentials never reach the check: clientConfig refuses
// them first. The cost of this design: a configuration whose credentials OCP refuses fails even for a
// command that would not have called OCP (terraform destroy -refresh=false of a switchover, which calls
// no API).
func checkCredentials(ctx context.Context, client *ocp.Client, sources string, diags *diag.Diagnostics) bool {
	cctx, cancel := context.WithTimeout(ctx, credentialsCheckTimeout)
	defer cancel()
	err := client.CheckCredentials(cctx)
	switch {
	case err == nil:
		return true
	case ocp.IsUnauthenticated(err):
		diags.Append(credentialsDiagnostic(err, sources))
		return false
	default:
		tflog.Debug(ctx, "the provider's check of the credentials got no answer; resources and data sources report what OCP answers them",
			map[string]any{"error": err.Error()})
		return true
	}
}

func (p *ocpProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewTenantFailoverResource,
		NewClusterFailoverResource,
		NewTenantSwitchoverResource,
	}
}

func (p *ocpProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewTenantDataSource,
		NewSwitchoverPrecheckDataSource,
		NewAPICompatibilityDataSource,
	}
}

func (p *ocpProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewTenantFailoverAction,
		NewClusterFailoverAction,
		NewTenantSwitchoverAction,
	}
}

func (p *ocpProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewTenantSwitchoverListResource,
	}
}
