package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestClientConfig(t *testing.T) {
	null := providerModel{
		URL: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(),
		AccessKeyID: types.StringNull(), AccessKeySecret: types.StringNull(), CACertFile: types.StringNull(),
		Insecure: types.BoolNull(), RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}
	with := func(f func(*providerModel)) providerModel { m := null; f(&m); return m }

	tests := []struct {
		name    string
		model   providerModel
		env     map[string]string
		wantErr string // substring of the first error summary+detail; "" for none
		check   func(t *testing.T, m providerModel, got configView)
	}{
		{
			name: "basic from config",
			model: with(func(m *providerModel) {
				m.URL = types.StringValue("https://ocp:8080")
				m.Username = types.StringValue("u")
				m.Password = types.StringValue("p")
			}),
			check: func(t *testing.T, _ providerModel, got configView) {
				if got.URL != "https://ocp:8080" || got.Username != "u" || got.Password != "p" || got.AccessKeyID != "" {
					t.Errorf("got %+v", got)
				}
			},
		},
		{
			name:  "everything from the environment",
			model: null,
			env: map[string]string{envURL: "http://127.0.0.1:1", envAccessKeyID: "AK", envAccessKeySecret: "SK",
				envRequestTimeout: "45s", envMaxRetries: "7"},
			check: func(t *testing.T, _ providerModel, got configView) {
				if got.AccessKeyID != "AK" || got.AccessKeySecret != "SK" || got.RequestTimeout != 45*time.Second || got.MaxRetries != 7 {
					t.Errorf("got %+v", got)
				}
			},
		},
		{
			name:  "config wins over environment",
			model: with(func(m *providerModel) { m.URL = types.StringValue("http://config"); m.MaxRetries = types.Int64Value(0) }),
			env:   map[string]string{envURL: "http://env", envUsername: "u", envPassword: "p", envMaxRetries: "9"},
			check: func(t *testing.T, _ providerModel, got configView) {
				if got.URL != "http://config" {
					t.Errorf("url = %q", got.URL)
				}
				if got.MaxRetries != -1 {
					t.Errorf("max_retries = 0 must mean no retries (client -1), got %d", got.MaxRetries)
				}
			},
		},
		{name: "missing url", model: null, env: map[string]string{envUsername: "u", envPassword: "p"}, wantErr: "OCP_URL"},
		{name: "missing credentials", model: null, env: map[string]string{envURL: "http://x"}, wantErr: "Missing OCP credentials"},
		{
			name: "conflicting credentials", model: null,
			env:     map[string]string{envURL: "http://x", envUsername: "u", envPassword: "p", envAccessKeyID: "AK", envAccessKeySecret: "SK"},
			wantErr: "Conflicting OCP credentials",
		},
		{name: "password without user", model: null, env: map[string]string{envURL: "http://x", envPassword: "p"}, wantErr: "OCP_USERNAME"},
		{name: "secret without key id", model: null, env: map[string]string{envURL: "http://x", envAccessKeySecret: "s"}, wantErr: "OCP_ACCESS_KEY_ID"},
		{
			name: "bad timeout", model: with(func(m *providerModel) { m.RequestTimeout = types.StringValue("soon") }),
			env: map[string]string{envURL: "http://x", envUsername: "u", envPassword: "p"}, wantErr: "Invalid request timeout",
		},
		{name: "bad retries env", model: null, env: map[string]string{envURL: "http://x", envUsername: "u", envPassword: "p", envMaxRetries: "many"}, wantErr: "OCP_MAX_RETRIES"},
		{name: "bad insecure env", model: null, env: map[string]string{envURL: "http://x", envUsername: "u", envPassword: "p", envInsecure: "maybe"}, wantErr: "OCP_INSECURE"},
		{
			name: "unknown url", model: with(func(m *providerModel) { m.URL = types.StringUnknown() }),
			env: map[string]string{envUsername: "u", envPassword: "p"}, wantErr: "not known until apply",
		},
		{
			// An explicit empty string counts as unset: the environment fills it in.
			name: "empty arguments fall back to the environment",
			model: with(func(m *providerModel) {
				m.URL, m.Username, m.Password = types.StringValue(""), types.StringValue("u"), types.StringValue("")
			}),
			env: map[string]string{envURL: "http://env", envPassword: "p"},
			check: func(t *testing.T, _ providerModel, got configView) {
				if got.URL != "http://env" || got.Username != "u" || got.Password != "p" {
					t.Errorf("got %+v", got)
				}
			},
		},
		{
			name: "empty password without the environment", model: with(func(m *providerModel) {
				m.URL, m.Username, m.Password = types.StringValue("http://x"), types.StringValue("u"), types.StringValue("")
			}),
			wantErr: `Missing OCP password A username is set ("username" in the provider block), so set "password" or OCP_PASSWORD too. An empty "password" counts as unset.`,
		},
		{
			name: "empty url without the environment", model: with(func(m *providerModel) { m.URL = types.StringValue(" ") }),
			env: map[string]string{envUsername: "u", envPassword: "p"}, wantErr: `An empty "url" counts as unset`,
		},
		{
			name: "conflicting credentials name their sources",
			model: with(func(m *providerModel) {
				m.URL, m.Username, m.Password = types.StringValue("http://x"), types.StringValue("u"), types.StringValue("p")
			}),
			env: map[string]string{envAccessKeyID: "AK", envAccessKeySecret: "SK"},
			wantErr: `HTTP Basic (username from "username" in the provider block, password from "password" in the provider block) and ` +
				`AccessKey (access_key_id from the environment variable OCP_ACCESS_KEY_ID, access_key_secret from the environment variable OCP_ACCESS_KEY_SECRET)`,
		},
		{
			name: "conflicting credentials, one from each source",
			model: with(func(m *providerModel) {
				m.URL, m.AccessKeyID, m.Password = types.StringValue("http://x"), types.StringValue("AK"), types.StringValue("")
			}),
			env:     map[string]string{envPassword: "p", envAccessKeySecret: "SK"},
			wantErr: `HTTP Basic (password from the environment variable OCP_PASSWORD) and AccessKey (access_key_id from "access_key_id" in the provider block, access_key_secret from the environment variable OCP_ACCESS_KEY_SECRET)`,
		},
		{
			name: "missing CA file", model: with(func(m *providerModel) { m.CACertFile = types.StringValue("/nonexistent/ca.pem") }),
			env: map[string]string{envURL: "http://x", envUsername: "u", envPassword: "p"}, wantErr: "Cannot read CA certificate file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := clientConfig(tt.model, env(tt.env))
			if tt.wantErr == "" {
				if diags.HasError() {
					t.Fatalf("unexpected errors: %v", diags)
				}
				tt.check(t, tt.model, configView{cfg.URL, cfg.Username, cfg.Password, cfg.AccessKeyID, cfg.AccessKeySecret, cfg.RequestTimeout, cfg.MaxRetries})
				return
			}
			if !diags.HasError() {
				t.Fatalf("want an error containing %q, got none", tt.wantErr)
			}
			text := diags.Errors()[0].Summary() + " " + diags.Errors()[0].Detail()
			if !strings.Contains(text, tt.wantErr) {
				t.Fatalf("error %q does not mention %q", text, tt.wantErr)
			}
		})
	}
}

type configView struct {
	URL, Username, Password, AccessKeyID, AccessKeySecret string
	RequestTimeout                                        time.Duration
	MaxRetries                                            int
}

func TestTLSSettings(t *testing.T) {
	if cfg, diags := tlsSettings("", false); cfg != nil || diags.HasError() || diags.WarningsCount() != 0 {
		t.Fatalf("default must be nil config (system roots, verified), got %v %v", cfg, diags)
	}
	cfg, diags := tlsSettings("", true)
	if cfg == nil || !cfg.InsecureSkipVerify || diags.WarningsCount() != 1 {
		t.Fatalf("insecure must skip verification with one warning, got %v %v", cfg, diags)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, diags := tlsSettings(bad, false); !diags.HasError() {
		t.Fatal("a file without PEM certificates must be an error")
	}
}

// The error when OCP refuses the credentials says where each came from.
func TestCredentialSources(t *testing.T) {
	m := providerModel{URL: types.StringNull(), Username: types.StringValue("u"), Password: types.StringValue(""),
		AccessKeyID: types.StringNull(), AccessKeySecret: types.StringNull()}
	got := credentialSources(m, env(map[string]string{envPassword: "p", envAccessKeyID: ""}))
	if want := `username from "username" in the provider block, password from the environment variable OCP_PASSWORD`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
