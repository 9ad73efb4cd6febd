package provider_test

import (
	"archive/zip"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The security tests run the real terraform binary against the out-of-process provider (see
// acctest.Workdir): what is checked is what an operator would see on the terminal, in TF_LOG output and
// in the files Terraform writes, not what an in-process test harness happens to capture.

// tlsSimulator serves a fresh simulator over TLS with httptest's self-signed certificate (valid for
// 127.0.0.1) and returns it with the path of a PEM file holding that certificate.
func tlsSimulator(t *testing.T) (*httptest.Server, *ocpsim.Sim, string) {
	t.Helper()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(sim)
	// Rejected handshakes are the point of some tests; keep them out of the test log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(func() { srv.Close(); sim.Close() })
	caFile := filepath.Join(t.TempDir(), "ocp-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, sim, caFile
}

const tenantDataSource = `
data "ocp_tenant" "primary" {
  cluster_id = 3000009
  tenant_id  = 2000022
}
output "role" {
  value = data.ocp_tenant.primary.tenant_role
}
`

// TestTLS: OCP's certificate is verified by default; ca_cert_file adds a trusted CA; insecure = true
// turns verification off only when asked, and says so with a warning every time.
func TestTLS(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	srv, _, caFile := tlsSimulator(t)
	provider := func(extra string) string {
		return fmt.Sprintf(`
provider "ocp" {
  url         = %q
  username    = %q
  password    = %q
  max_retries = 0
%s}
`, srv.URL, acctest.Username, acctest.Password, extra)
	}
	warning := regexp.MustCompile(`(?s)Warning: TLS verification is off.*insecure = true`)

	cases := []struct {
		name, extra string
		env         []string
		wantErr     *regexp.Regexp // nil: the plan succeeds
		wantWarning bool
	}{
		{
			name:    "verified by default",
			wantErr: regexp.MustCompile(`(?s)Error reading tenant.*Could not reach OCP:.*` + regexp.QuoteMeta(srv.URL) + `.*x509: certificate signed by unknown authority.*TLS settings`),
		},
		{name: "ca_cert_file trusted", extra: fmt.Sprintf("  ca_cert_file = %q\n", caFile)},
		{name: "OCP_CA_CERT_FILE trusted", env: []string{"OCP_CA_CERT_FILE=" + caFile}},
		{name: "insecure is an explicit opt-in with a warning", extra: "  insecure = true\n", wantWarning: true},
		{name: "OCP_INSECURE too", env: []string{"OCP_INSECURE=true"}, wantWarning: true},
		{
			name: "insecure = false is still verified", extra: "  insecure = false\n",
			wantErr: regexp.MustCompile(`x509: certificate signed by unknown authority`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := acctest.NewWorkdir(t, provider(tc.extra)+tenantDataSource)
			w.Env = tc.env
			r := w.Run("plan")
			out := flat(r.Output())
			switch {
			case tc.wantErr != nil && r.Err == nil:
				t.Fatalf("plan succeeded, want an error matching %s:\n%s", tc.wantErr, r.Output())
			case tc.wantErr != nil && !tc.wantErr.MatchString(out):
				t.Fatalf("error does not match %s:\n%s", tc.wantErr, r.Output())
			case tc.wantErr == nil && r.Err != nil:
				t.Fatalf("plan failed: %v\n%s", r.Err, r.Output())
			case tc.wantErr == nil && !strings.Contains(r.Stdout, `role = "PRIMARY"`):
				t.Fatalf("the tenant was not read:\n%s", r.Output())
			}
			if got := warning.MatchString(out); got != tc.wantWarning {
				t.Fatalf("insecure warning shown = %v, want %v:\n%s", got, tc.wantWarning, r.Output())
			}
		})
	}
}

// headerRecorder wraps the simulator and remembers every Authorization header value it received, so
// the test can look for the exact values that went over the wire (AccessKey signatures differ per
// request).
type headerRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
}

func (h *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("Authorization"); v != "" {
		h.mu.Lock()
		h.seen[v] = true
		h.mu.Unlock()
	}
	h.next.ServeHTTP(w, r)
}

func (h *headerRecorder) values() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.seen))
	for v := range h.seen {
		out = append(out, v)
	}
	return out
}

// TestSecretsNeverLeak runs plan, show -json, apply, show and output with TF_LOG=TRACE (which also
// turns the provider's own HTTP logging up to request and response bodies) written to TF_LOG_PATH, with
// Basic and with AccessKey credentials, and looks for the password, the AccessKey secret and every
// Authorization header value the simulator received (Basic's base64, each AccessKey signature) in the
// log, in everything terraform printed, in the plan JSON, in the saved plan file and in the state.
//
// Where the secret comes from matters, and not because of the provider: Terraform writes a provider
// block's literal arguments, and the values of variables that are not ephemeral, into a saved plan and
// its JSON (`configuration.provider_config…constant_value`, `variables`). The provider cannot prevent
// that, so the test pins it down: from the environment or an ephemeral variable (Terraform ≥ 1.10) the
// secret appears nowhere; as a literal it appears only in the saved plan, never in logs, output or state.
// The failure-handling guide tells operators the same.
func TestSecretsNeverLeak(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	const (
		user      = "tfuser"
		password  = "pw-Zq8rT3vXk2mW9"     // unique, so any hit is ours
		accessKey = "AKTEST00000000000042" // not a secret, but its pair's secret is
		secretKey = "sk-Hf7yP1cLr5nJ0uE4"
	)
	basicSecrets := []string{password, base64.StdEncoding.EncodeToString([]byte(user + ":" + password))}
	cases := []struct {
		name    string
		env     []string
		block   string
		secrets []string
		// inSavedPlan: Terraform keeps the secret in the saved plan and its JSON (a literal).
		inSavedPlan bool
	}{
		{
			name:    "basic from the environment",
			env:     []string{"OCP_USERNAME=" + user, "OCP_PASSWORD=" + password},
			block:   `provider "ocp" {}`,
			secrets: basicSecrets,
		},
		{
			name:    "access key from the environment",
			env:     []string{"OCP_ACCESS_KEY_ID=" + accessKey, "OCP_ACCESS_KEY_SECRET=" + secretKey},
			block:   `provider "ocp" {}`,
			secrets: []string{secretKey},
		},
		{
			name: "access key from an ephemeral variable",
			env:  []string{"TF_VAR_ocp_secret=" + secretKey},
			block: fmt.Sprintf(`variable "ocp_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
provider "ocp" {
  access_key_id     = %q
  access_key_secret = var.ocp_secret
}`, accessKey),
			secrets: []string{secretKey},
		},
		{
			name:        "basic literal in the provider block",
			block:       fmt.Sprintf("provider \"ocp\" {\n  username = %q\n  password = %q\n}", user, password),
			secrets:     basicSecrets[:1], // the literal; never the header
			inSavedPlan: true,
		},
		{
			name:        "access key literal in the provider block",
			block:       fmt.Sprintf("provider \"ocp\" {\n  access_key_id     = %q\n  access_key_secret = %q\n}", accessKey, secretKey),
			secrets:     []string{secretKey},
			inSavedPlan: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{
				Users:      map[string]string{user: password},
				AccessKeys: map[string]string{accessKey: secretKey},
			})
			if err != nil {
				t.Fatal(err)
			}
			rec := &headerRecorder{next: sim, seen: map[string]bool{}}
			srv := httptest.NewServer(rec)
			t.Cleanup(func() { srv.Close(); sim.Close() })

			w := acctest.NewWorkdir(t, tc.block+tenantDataSource+secretsResources)
			logPath := filepath.Join(w.Dir, "trace.log")
			w.Env = append([]string{"OCP_URL=" + srv.URL, "TF_LOG=TRACE", "TF_LOG_PATH=" + logPath}, tc.env...)

			var printed strings.Builder
			planJSON := ""
			for _, args := range [][]string{
				{"plan", "-out=tfplan"},
				{"show", "-json", "tfplan"},
				{"apply", "tfplan"},
				{"show", "-json"},
				{"output", "-json"},
			} {
				r := w.MustRun(args...)
				if args[0] == "show" && len(args) == 3 {
					planJSON = r.Stdout
					continue
				}
				printed.WriteString(r.Output())
			}

			logText := w.ReadFile("trace.log")
			if !strings.Contains(logText, "OCP response body") || !strings.Contains(logText, "OCP request body") {
				t.Fatalf("the trace log does not hold the provider's HTTP logging, so this test proves nothing; log starts:\n%.2000s", logText)
			}
			if !strings.Contains(printed.String(), `"tenant_role"`) || sim.Counters().Switchovers != 1 {
				t.Fatalf("the run did not read the tenant and switch over; output:\n%s", printed.String())
			}
			headers := rec.values()
			if len(headers) == 0 {
				t.Fatal("the simulator saw no Authorization header")
			}
			for _, h := range headers {
				if strings.HasPrefix(h, "OCP-ACCESS-KEY-HMACSHA1 ") {
					// The signature is the secret-derived part; the key id alone is not secret.
					_, sig, _ := strings.Cut(h, ":")
					headers = append(headers, sig)
				}
			}

			never := map[string]string{
				"the TF_LOG=TRACE log":      logText,
				"terraform's output":        printed.String(),
				"the state file":            w.ReadFile("terraform.tfstate"),
				"the state backup":          w.ReadFile("terraform.tfstate.backup"),
				"the file names":            listFiles(t, w.Dir),
				"the saved plan's JSON":     planJSON,
				"the saved plan's contents": zipText(t, filepath.Join(w.Dir, "tfplan")),
			}
			if tc.inSavedPlan {
				for _, where := range []string{"the saved plan's JSON", "the saved plan's contents"} {
					if !strings.Contains(never[where], tc.secrets[0]) {
						t.Errorf("%s no longer holds the literal secret: Terraform changed; update this test and the failure-handling guide", where)
					}
					delete(never, where)
				}
			}
			for where, text := range never {
				for _, s := range tc.secrets {
					assertAbsent(t, where, text, s)
				}
				for _, s := range headers {
					assertAbsent(t, where, text, s)
				}
			}
		})
	}
}

func assertAbsent(t *testing.T, where, text, secret string) {
	t.Helper()
	if secret == "" {
		return
	}
	if i := strings.Index(text, secret); i >= 0 {
		t.Errorf("%s holds a secret (%.6s…) in %q", where, secret, text[max(0, i-200):min(len(text), i+len(secret)+40)])
	}
}

// zipText returns the contents of every file in a zip archive (a saved plan), concatenated.
func zipText(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("reading the saved plan: %v", err)
	}
	defer z.Close()
	var b strings.Builder
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f.Name + "\n")
		b.Write(data)
	}
	return b.String()
}

// secretsResources is appended to the secrets test's configuration: a switchover, so that the precheck
// and start requests with their bodies, and the task polling, pass through the trace log too.
const secretsResources = `
resource "ocp_tenant_switchover" "t" {
  primary = { cluster_id = 3000014, tenant_id = 2000102 }
  standby = { cluster_id = 3000013, tenant_id = 2000101 }
}
`

// flat collapses Terraform's line wrapping (and all other runs of white space) into single spaces, so
// that diagnostics can be matched whatever the terminal width.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// listFiles names every file below dir, so a secret used as a file name would show.
func listFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			b.WriteString(p + "\n")
		}
		return nil
	})
	return b.String()
}
