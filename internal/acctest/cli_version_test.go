package acctest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionOrder(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{
		{"1.11.4", "1.14.0", true},
		{"1.14.0", "1.14.0", false},
		{"1.15.5", "1.14.0", false},
		{"1.14.0-beta1", "1.14.0", true},
		{"1.14.0", "1.14.0-beta1", false},
		{"1.9.8", "1.14.0", true},
		{"v2.0", "1.14.0", false},
		{"1.12.6", "1.14.0", true}, // OpenTofu numbers its releases on its own; RequireTerraform is for terraform
	} {
		a, err := parseVersion(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseVersion(tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.less(b); got != tc.less {
			t.Errorf("%s < %s = %v, want %v", tc.a, tc.b, got, tc.less)
		}
	}
	for _, bad := range []string{"", "1", "1.x.0", "1.2.3.4", "latest"} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%q) accepted it", bad)
		}
	}
}

// A subtest of a test that called RequireTerraform is declared too: in the EnvOnlyNewerCLI run, the
// PreCheck of its workdir must not skip it.
func TestRequireTerraformDeclaresSubtests(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake terraform is a shell script")
	}
	t.Setenv(EnvOnlyNewerCLI, "1")
	t.Setenv(EnvSkipCLI, "")
	fake := fakeTerraform(t, "1.15.5")
	t.Setenv("TF_ACC_TERRAFORM_PATH", fake)
	log := filepath.Join(t.TempDir(), "newer.log")
	t.Setenv(EnvNewerCLILog, log)

	t.Run("declared", func(t *testing.T) {
		RequireTerraform(t, TerraformActions)
		t.Run("sub", func(t *testing.T) {
			PreCheck(t)
		})
	})
	t.Run("undeclared", func(t *testing.T) {
		PreCheck(t)
		t.Error("PreCheck did not skip a test that declared no minimum in the EnvOnlyNewerCLI run")
	})
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(b)); got != "TestRequireTerraformDeclaresSubtests/declared 1.15.5" {
		t.Errorf("%s holds %q", EnvNewerCLILog, got)
	}
}

// fakeTerraform writes a script that answers `version -json` as terraform does.
func fakeTerraform(t *testing.T, version string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "terraform")
	script := "#!/bin/sh\necho '{\"terraform_version\": \"" + version + "\", \"platform\": \"linux_amd64\"}'\n"
	if err := os.WriteFile(p, []byte(script), 0o700); err != nil { //nolint:gosec // an executable script, on purpose
		t.Fatal(err)
	}
	return p
}
