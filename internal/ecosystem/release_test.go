package ecosystem_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The release configuration keeps the registry's layout and the version wiring that the User-Agent
// tests rely on. (goreleaser itself is not run here: `goreleaser check` needs the goreleaser binary.)
func TestReleaseConfiguration(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(repoRoot(t), name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	gr := read(".goreleaser.yml")
	for _, want := range []string{
		"version: 2",
		"CGO_ENABLED=0",
		"-trimpath",
		"-X main.version={{ .Version }}",
		`binary: "{{ .ProjectName }}_v{{ .Version }}"`,
		"formats: [zip]",
		`name_template: "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"`,
		`name_template: "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS"`,
		"glob: terraform-registry-manifest.json",
		`name_template: "{{ .ProjectName }}_{{ .Version }}_manifest.json"`,
		"{{ .Env.GPG_FINGERPRINT }}",
		"--detach-sign",
	} {
		if !strings.Contains(gr, want) {
			t.Errorf(".goreleaser.yml lacks %q", want)
		}
	}

	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(read("terraform-registry-manifest.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Version != 1 || len(manifest.Metadata.ProtocolVersions) != 1 || manifest.Metadata.ProtocolVersions[0] != "6.0" {
		t.Errorf("terraform-registry-manifest.json = %+v, want version 1 and protocol 6.0 (the provider serves protocol 6)", manifest)
	}

	if main := read("main.go"); !strings.Contains(main, "var version = ") || !strings.Contains(main, "provider.New(version)") {
		t.Error("main.go no longer hands main.version (set by -ldflags) to the provider")
	}
	if mk := read("GNUmakefile"); !strings.Contains(mk, "-X main.version=$(VERSION)") {
		t.Error("GNUmakefile no longer stamps main.version")
	}
	if cl := read("CHANGELOG.md"); !strings.Contains(cl, "## Unreleased") && !strings.Contains(cl, "## [") {
		t.Error("CHANGELOG.md has no release section")
	}
}
