package ecosystem_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
)

// requiredProviders is added to an example directory that does not name the provider's source itself
// (the per-type snippets the docs embed), so that dev_overrides apply to it.
const requiredProviders = `terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}
`

// exampleDirs returns every directory under examples/ that holds .tf files, relative to the repository root.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	root := repoRoot(t)
	var dirs []string
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != filepath.Join(root, "examples")) {
			return fs.SkipDir // .terraform and the like
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				return err
			}
			if !slices.Contains(dirs, rel) {
				dirs = append(dirs, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no example directories found under examples/")
	}
	return dirs
}

// Every example is formatted as terraform fmt writes it, action examples included.
func TestExamplesFormatted(t *testing.T) {
	t.Parallel()
	terraformPath(t)
	w := &workdir{t: t, dir: repoRoot(t), rc: os.DevNull}
	r := w.run("fmt", "-check", "-diff", "-recursive", "examples")
	if r.err != nil {
		t.Fatalf("terraform fmt -check found unformatted examples (run `make fmt`):\n%s", r.output())
	}
}

// Every example directory is valid against the provider's schema (terraform validate with the provider
// built from this tree), except those that need a newer Terraform, which TestExamplesValidateNewerTerraform
// validates.
func TestExamplesValidate(t *testing.T) {
	t.Parallel()
	terraformPath(t)
	for _, dir := range exampleDirs(t) {
		if needsNewerTerraform(dir) {
			continue
		}
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			validateExample(t, dir)
		})
	}
}

// The action examples and the list resource examples need Terraform >= 1.14 (older Terraform rejects the
// action block, the import block's identity and the .tfquery.hcl files): skipped below it, and run by make
// test with the pinned Terraform, which also checks the formatting of the .tfquery.hcl files (older
// terraform fmt skips them). terraform fmt checks the .tf files on every Terraform.
func TestExamplesValidateNewerTerraform(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformQuery)
	t.Parallel()
	var actions, lists int
	for _, dir := range exampleDirs(t) {
		if !needsNewerTerraform(dir) {
			continue
		}
		if strings.HasPrefix(filepath.ToSlash(dir), "examples/actions/") {
			actions++
		} else {
			lists++
		}
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			validateExample(t, dir)
		})
	}
	if actions == 0 || lists == 0 {
		t.Fatalf("%d example directories under examples/actions/, %d under examples/list-resources/", actions, lists)
	}
	w := &workdir{t: t, dir: repoRoot(t), rc: os.DevNull}
	if r := w.run("fmt", "-check", "-diff", "-recursive", "examples/list-resources"); r.err != nil {
		t.Fatalf("terraform fmt -check found unformatted list resource examples:\n%s", r.output())
	}
}

// needsNewerTerraform reports the example directories that need Terraform >= 1.14: the actions' and the
// list resources'.
func needsNewerTerraform(dir string) bool {
	d := filepath.ToSlash(dir)
	return strings.HasPrefix(d, "examples/actions/") || strings.HasPrefix(d, "examples/list-resources/")
}

// validateExample runs terraform validate in a copy of dir, with required_providers added when the
// example does not name the provider's source itself; the list resource examples' .tfquery.hcl files too.
func validateExample(t *testing.T, dir string) {
	t.Helper()
	extra := map[string]string{}
	if !declaresProvider(t, dir) {
		extra["zz_required_providers.tf"] = requiredProviders
	}
	w := newWorkdir(t, dir, extra)
	args := []string{"validate", "-no-color"}
	if strings.HasPrefix(filepath.ToSlash(dir), "examples/list-resources/") {
		args = append(args, "-query")
	}
	r := w.run(args...)
	if r.err != nil {
		t.Fatalf("terraform validate %s:\n%s", dir, r.output())
	}
}

// declaresProvider reports whether the directory names the provider's source in a required_providers block.
func declaresProvider(t *testing.T, dir string) bool {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(repoRoot(t), dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "required_providers") {
			return true
		}
	}
	return false
}

// The validation above is real: a misspelled argument fails it.
func TestExamplesValidateCatchesSchemaErrors(t *testing.T) {
	t.Parallel()
	w := newWorkdir(t, "", map[string]string{"main.tf": requiredProviders + `
data "ocp_tenant" "t" {
  cluster_id = 1
  tenant     = 2
}
`})
	r := w.run("validate", "-no-color")
	if r.err == nil || !strings.Contains(r.output(), "tenant") {
		t.Fatalf("terraform validate accepted an unknown argument:\n%s", r.output())
	}
}
