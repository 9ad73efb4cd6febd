package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Environment variables that stand in for provider arguments.
const (
	envURL             = "OCP_URL"
	envUsername        = "OCP_USERNAME"
	envPassword        = "OCP_PASSWORD"
	envAccessKeyID     = "OCP_ACCESS_KEY_ID"
	envAccessKeySecret = "OCP_ACCESS_KEY_SECRET"
	envCACertFile      = "OCP_CA_CERT_FILE"
	envInsecure        = "OCP_INSECURE"
	envRequestTimeout  = "OCP_REQUEST_TIMEOUT"
	envMaxRetries      = "OCP_MAX_RETRIES"
)

// setting is a provider argument resolved against its environment variable: the value and where it came
// from, for messages that must say which source set a credential.
type setting struct {
	value string
	attr  string // the provider argument, e.g. "password"
	env   string // its environment variable, e.g. OCP_PASSWORD
	// fromEnv says the value came from env (the argument was null or empty); meaningless when value is "".
	fromEnv bool
}

// source says where a set value came from: `"password" in the provider block` or `OCP_PASSWORD`.
func (s setting) source() string {
	if s.fromEnv {
		return "the environment variable " + s.env
	}
	return fmt.Sprintf("%q in the provider block", s.attr)
}

// resolveSetting reads a provider argument, falling back to its environment variable. An explicit empty
// string counts as unset (so `password = var.password` with an empty variable falls back to
// OCP_PASSWORD, as leaving it out does); the messages about a missing value say so.
func resolveSetting(v types.String, attr, env string, getenv func(string) string) setting {
	s := setting{attr: attr, env: env}
	if !v.IsNull() && !v.IsUnknown() && strings.TrimSpace(v.ValueString()) != "" {
		s.value = v.ValueString()
		return s
	}
	s.value, s.fromEnv = getenv(env), true
	return s
}

// clientConfig resolves the provider block and its environment fallbacks into a client configuration.
// It is pure (the environment comes in as getenv) so that every rule is unit-tested.
func clientConfig(m providerModel, getenv func(string) string) (ocp.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	str := func(v types.String, attr, env string) setting {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown OCP provider setting",
				fmt.Sprintf("The provider argument %q depends on a value that is not known until apply. "+
					"Set it to a known value, or leave it out and set %s in the environment.", attr, env))
			return setting{attr: attr, env: env}
		}
		return resolveSetting(v, attr, env, getenv)
	}

	baseURL := str(m.URL, "url", envURL)
	username, password := str(m.Username, "username", envUsername), str(m.Password, "password", envPassword)
	keyID, secret := str(m.AccessKeyID, "access_key_id", envAccessKeyID), str(m.AccessKeySecret, "access_key_secret", envAccessKeySecret)
	cfg := ocp.Config{
		URL:             strings.TrimSpace(baseURL.value),
		Username:        username.value,
		Password:        password.value,
		AccessKeyID:     keyID.value,
		AccessKeySecret: secret.value,
	}
	caFile := str(m.CACertFile, "ca_cert_file", envCACertFile).value
	timeout := str(m.RequestTimeout, "request_timeout", envRequestTimeout).value
	if diags.HasError() {
		return cfg, diags
	}

	if cfg.URL == "" {
		diags.AddAttributeError(path.Root("url"), "Missing OCP URL",
			"Set the provider argument \"url\" or the environment variable "+envURL+" to OCP's base URL, for example https://ocp.example.com:8080. "+
				"An empty \"url\" counts as unset.")
	}

	basic := cfg.Username != "" || cfg.Password != ""
	signed := cfg.AccessKeyID != "" || cfg.AccessKeySecret != ""
	switch {
	case basic && signed:
		diags.AddError("Conflicting OCP credentials",
			fmt.Sprintf("Both kinds of credentials are set: HTTP Basic (%s) and AccessKey (%s). Use exactly one kind: remove the other "+
				"from the provider block or from the environment. (An empty provider argument counts as unset, so it does not hide its "+
				"environment variable.)", describeSources(username, password), describeSources(keyID, secret)))
	case !basic && !signed:
		diags.AddError("Missing OCP credentials",
			"Set \"username\" and \"password\" ("+envUsername+", "+envPassword+") for HTTP Basic, or \"access_key_id\" and \"access_key_secret\" ("+
				envAccessKeyID+", "+envAccessKeySecret+") for OCP AccessKey signatures. An empty provider argument counts as unset.")
	case basic && cfg.Username == "":
		diags.AddAttributeError(path.Root("username"), "Missing OCP username",
			fmt.Sprintf("A password is set (%s), so set \"username\" or %s too. An empty \"username\" counts as unset.", password.source(), envUsername))
	case basic && cfg.Password == "":
		diags.AddAttributeError(path.Root("password"), "Missing OCP password",
			fmt.Sprintf("A username is set (%s), so set \"password\" or %s too. An empty \"password\" counts as unset.", username.source(), envPassword))
	case signed && cfg.AccessKeyID == "":
		diags.AddAttributeError(path.Root("access_key_id"), "Missing OCP AccessKey ID",
			fmt.Sprintf("An AccessKey secret is set (%s), so set \"access_key_id\" or %s too. An empty \"access_key_id\" counts as unset.", secret.source(), envAccessKeyID))
	case signed && cfg.AccessKeySecret == "":
		diags.AddAttributeError(path.Root("access_key_secret"), "Missing OCP AccessKey secret",
			fmt.Sprintf("An AccessKey ID is set (%s), so set \"access_key_secret\" or %s too. An empty \"access_key_secret\" counts as unset.", keyID.source(), envAccessKeySecret))
	}

	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("%q (from request_timeout or %s) is not a positive Go duration such as \"30s\".", timeout, envRequestTimeout))
		}
		cfg.RequestTimeout = d
	}

	cfg.MaxRetries = 0 // the client's default
	switch {
	case m.MaxRetries.IsUnknown():
		diags.AddAttributeError(path.Root("max_retries"), "Unknown OCP provider setting", "max_retries must be known at plan time.")
	case !m.MaxRetries.IsNull():
		cfg.MaxRetries = retriesSetting(m.MaxRetries.ValueInt64())
	case getenv(envMaxRetries) != "":
		n, err := strconv.ParseInt(getenv(envMaxRetries), 10, 64)
		if err != nil || n < 0 || n > 20 {
			diags.AddError("Invalid "+envMaxRetries, fmt.Sprintf("%q is not a whole number from 0 to 20.", getenv(envMaxRetries)))
		}
		cfg.MaxRetries = retriesSetting(n)
	}

	insecure := false
	switch {
	case m.Insecure.IsUnknown():
		diags.AddAttributeError(path.Root("insecure"), "Unknown OCP provider setting", "insecure must be known at plan time.")
	case !m.Insecure.IsNull():
		insecure = m.Insecure.ValueBool()
	case getenv(envInsecure) != "":
		b, err := strconv.ParseBool(getenv(envInsecure))
		if err != nil {
			diags.AddError("Invalid "+envInsecure, fmt.Sprintf("%q is not true or false.", getenv(envInsecure)))
		}
		insecure = b
	}

	tlsConfig, tlsDiags := tlsSettings(caFile, insecure)
	diags.Append(tlsDiags...)
	cfg.TLSConfig = tlsConfig
	return cfg, diags
}

// describeSources says where each set credential of one kind came from: `username from "username" in the
// provider block, password from the environment variable OCP_PASSWORD`.
func describeSources(settings ...setting) string {
	var parts []string
	for _, s := range settings {
		if s.value != "" {
			parts = append(parts, s.attr+" from "+s.source())
		}
	}
	return strings.Join(parts, ", ")
}

// credentialSources says where the credentials in use came from, for the error when OCP refuses them.
func credentialSources(m providerModel, getenv func(string) string) string {
	return describeSources(
		resolveSetting(m.Username, "username", envUsername, getenv), resolveSetting(m.Password, "password", envPassword, getenv),
		resolveSetting(m.AccessKeyID, "access_key_id", envAccessKeyID, getenv), resolveSetting(m.AccessKeySecret, "access_key_secret", envAccessKeySecret, getenv))
}

// retriesSetting maps the user's count onto the client's convention, where 0 means "the default"
// and a negative number means "never retry".
func retriesSetting(n int64) int {
	if n == 0 {
		return -1
	}
	return int(n)
}

// tlsSettings builds the TLS configuration: verified by default, extra CAs from a file, and
// verification off only on explicit request, with a warning.
func tlsSettings(caFile string, insecure bool) (*tls.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	if caFile == "" && !insecure {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Cannot read CA certificate file", err.Error())
			return nil, diags
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA certificate file",
				fmt.Sprintf("%s holds no PEM-encoded certificate.", caFile))
			return nil, diags
		}
		cfg.RootCAs = pool
	}
	if insecure {
		cfg.InsecureSkipVerify = true //nolint:gosec // explicit opt-in, warned below
		diags.AddAttributeWarning(path.Root("insecure"), "TLS verification is off",
			"insecure = true: the provider does not verify OCP's certificate, so anyone on the network path can read the credentials "+
				"and impersonate OCP. Trust OCP's CA with ca_cert_file instead.")
	}
	return cfg, diags
}

// processStderr is the process's stderr as it was at start. go-plugin's Serve later swaps os.Stderr for a
// pipe whose lines Terraform logs as "unexpected data" at WARN; JSON log lines on the original stderr are
// read by Terraform as structured provider logs at their own level (terraform-plugin-log does the same).
var processStderr = os.Stderr

// httpLogger is the client's HTTP-layer logger. It writes JSON lines to the process's original stderr,
// which Terraform collects into its own log at the level set by TF_LOG_PROVIDER (or TF_LOG); the client
// never logs secrets.
func httpLogger(getenv func(string) string) hclog.Logger {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	lvl := hclog.LevelFromString(level)
	if lvl == hclog.NoLevel {
		lvl = hclog.Off
		if strings.EqualFold(level, "json") {
			lvl = hclog.Trace
		}
	}
	return hclog.New(&hclog.LoggerOptions{
		Name:       "ocp-http",
		Level:      lvl,
		Output:     processStderr,
		JSONFormat: true,
	})
}

// durationValidator accepts Go durations such as "30s" or "2m".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "value must be a positive Go duration such as \"30s\""
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q: %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
