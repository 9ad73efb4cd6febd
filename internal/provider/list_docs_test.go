package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// tfplugindocs sees neither list resource schemas nor resource identity schemas with the Terraform make
// docs runs (< 1.14, < 1.12), so the list resource page (templates/list-resources/<name>.md.tmpl) and the
// identity section of the resource page (templates/resources/<name>.md.tmpl) are written by hand. These
// tests keep them from drifting: every argument and identity attribute is documented in its section with
// the schema's own description, nothing else is, and the examples they include exist.

func providerSchemas(t *testing.T) (*tfprotov6.GetProviderSchemaResponse, *tfprotov6.GetResourceIdentitySchemasResponse) {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	sch, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return sch, ids
}

// documentedDescriptions maps each "- `name` (Type) description" line of page (from the line starting
// with from up to the next line starting with "## ") to its description.
func documentedDescriptions(page, from string) map[string]string {
	out := map[string]string{}
	item := regexp.MustCompile("^- `([^`]+)` \\([^)]+\\) (.*)$")
	in := false
	for _, line := range strings.Split(page, "\n") {
		switch {
		case strings.HasPrefix(line, from):
			in = true
		case in && strings.HasPrefix(line, "## "):
			in = false
		case in && item.MatchString(line):
			m := item.FindStringSubmatch(line)
			out[m[1]] = m[2]
		}
	}
	return out
}

func TestListResourceDocTemplatesMatchSchemas(t *testing.T) {
	sch, _ := providerSchemas(t)
	if len(sch.ListResourceSchemas) == 0 {
		t.Fatal("the provider serves no list resources")
	}
	root := filepath.Join("..", "..")
	for name, ls := range sch.ListResourceSchemas {
		t.Run(name, func(t *testing.T) {
			tmplPath := filepath.Join(root, "templates", "list-resources", strings.TrimPrefix(name, "ocp_")+".md.tmpl")
			b, err := os.ReadFile(tmplPath)
			if err != nil {
				t.Fatalf("no documentation template for list resource %s: %v", name, err)
			}
			tmpl := string(b)
			if !strings.Contains(tmpl, "# "+name+" (List Resource)") {
				t.Errorf("%s: no heading %q", tmplPath, "# "+name+" (List Resource)")
			}
			want, got := schemaArguments(ls.Block), documentedArguments(tmpl)
			for _, arg := range sortedKeys(want) {
				if got[arg] != want[arg] {
					t.Errorf("%s: argument %s is documented as %q, the schema says %s", tmplPath, arg, got[arg], want[arg])
				}
			}
			for _, arg := range sortedKeys(got) {
				if _, ok := want[arg]; !ok {
					t.Errorf("%s: documents %s, which the schema of %s does not have", tmplPath, arg, name)
				}
			}
			descs := documentedDescriptions(tmpl, "## Argument Reference")
			for _, a := range ls.Block.Attributes {
				if descs[a.Name] != a.Description {
					t.Errorf("%s: %s is described as\n  %q\nthe schema says\n  %q", tmplPath, a.Name, descs[a.Name], a.Description)
				}
			}

			m := regexp.MustCompile(`\{\{\s*tffile\s+"([^"]+)"\s*\}\}`).FindStringSubmatch(tmpl)
			if m == nil {
				t.Fatalf("%s: no {{ tffile \"examples/list-resources/…\" }} example", tmplPath)
			}
			ex, err := os.ReadFile(filepath.Join(root, m[1]))
			if err != nil {
				t.Fatalf("%s: example: %v", tmplPath, err)
			}
			if !strings.Contains(string(ex), `list "`+name+`"`) || !strings.HasSuffix(m[1], ".tfquery.hcl") {
				t.Errorf("%s: the example %s is no .tfquery.hcl with a list %q block", tmplPath, m[1], name)
			}
		})
	}
}

func TestIdentityDocTemplatesMatchSchemas(t *testing.T) {
	_, ids := providerSchemas(t)
	if len(ids.IdentitySchemas) == 0 {
		t.Fatal("the provider serves no resource identity")
	}
	root := filepath.Join("..", "..")
	for name, s := range ids.IdentitySchemas {
		t.Run(name, func(t *testing.T) {
			tmplPath := filepath.Join(root, "templates", "resources", strings.TrimPrefix(name, "ocp_")+".md.tmpl")
			b, err := os.ReadFile(tmplPath)
			if err != nil {
				t.Fatalf("no documentation template for resource %s (it has an identity): %v", name, err)
			}
			tmpl := string(b)
			descs := documentedDescriptions(tmpl, "### Identity Schema")
			if len(descs) != len(s.IdentityAttributes) {
				t.Errorf("%s: %d identity attributes documented, the schema has %d", tmplPath, len(descs), len(s.IdentityAttributes))
			}
			for _, a := range s.IdentityAttributes {
				if !a.RequiredForImport {
					t.Errorf("%s: the page documents every identity attribute as required; %s is not", name, a.Name)
				}
				if descs[a.Name] != a.Description {
					t.Errorf("%s: identity attribute %s is described as\n  %q\nthe schema says\n  %q", tmplPath, a.Name, descs[a.Name], a.Description)
				}
			}
			for _, m := range regexp.MustCompile(`\{\{\s*tffile\s+"([^"]+)"\s*\}\}`).FindAllStringSubmatch(tmpl, -1) {
				ex, err := os.ReadFile(filepath.Join(root, m[1]))
				if err != nil {
					t.Errorf("%s: example: %v", tmplPath, err)
					continue
				}
				if strings.Contains(string(ex), "identity = {") {
					for _, a := range s.IdentityAttributes {
						if !strings.Contains(string(ex), a.Name) {
							t.Errorf("%s: the identity example lacks %s", m[1], a.Name)
						}
					}
				}
			}
		})
	}
}
