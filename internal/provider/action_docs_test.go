package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// tfplugindocs cannot see action schemas with Terraform < 1.14, so each action's page comes from a
// hand-written template (templates/actions/<name>.md.tmpl) whose argument list must match the schema.
// This test keeps them from drifting: every argument of the schema, at every depth, is documented in the
// right section (Required/Optional, nested schema of its parent), nothing else is, and the example the
// template includes exists and uses the action.
func TestActionDocTemplatesMatchSchemas(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.ActionSchemas) == 0 {
		t.Fatal("the provider serves no actions")
	}
	root := filepath.Join("..", "..")
	for name, as := range resp.ActionSchemas {
		t.Run(name, func(t *testing.T) {
			tmplPath := filepath.Join(root, "templates", "actions", strings.TrimPrefix(name, "ocp_")+".md.tmpl")
			b, err := os.ReadFile(tmplPath)
			if err != nil {
				t.Fatalf("no documentation template for action %s: %v", name, err)
			}
			tmpl := string(b)
			if !strings.Contains(tmpl, "# "+name+" (Action)") {
				t.Errorf("%s: no heading %q", tmplPath, "# "+name+" (Action)")
			}

			want := schemaArguments(as.Schema.Block)
			got := documentedArguments(tmpl)
			for _, arg := range sortedKeys(want) {
				if got[arg] != want[arg] {
					if got[arg] == "" {
						t.Errorf("%s: argument %s (%s) is not documented", tmplPath, arg, want[arg])
					} else {
						t.Errorf("%s: argument %s is documented as %s, the schema says %s", tmplPath, arg, got[arg], want[arg])
					}
				}
			}
			for _, arg := range sortedKeys(got) {
				if _, ok := want[arg]; !ok {
					t.Errorf("%s: documents %s, which the schema of %s does not have", tmplPath, arg, name)
				}
			}

			m := regexp.MustCompile(`\{\{\s*tffile\s+"([^"]+)"\s*\}\}`).FindStringSubmatch(tmpl)
			if m == nil {
				t.Fatalf("%s: no {{ tffile \"examples/actions/…\" }} example", tmplPath)
			}
			ex, err := os.ReadFile(filepath.Join(root, m[1]))
			if err != nil {
				t.Fatalf("%s: example: %v", tmplPath, err)
			}
			for _, want := range []string{`action "` + name + `"`, "-invoke=action." + name, "action_trigger", "actions = [action." + name} {
				if !strings.Contains(string(ex), want) {
					t.Errorf("%s: the example lacks %q", m[1], want)
				}
			}
		})
	}
}

// schemaArguments maps each argument path ("tenants", "tenants.tenant_id", "timeouts.invoke") to
// "required" or "optional". Blocks are optional.
func schemaArguments(b *tfprotov6.SchemaBlock) map[string]string {
	out := map[string]string{}
	var attrs func(prefix string, as []*tfprotov6.SchemaAttribute)
	attrs = func(prefix string, as []*tfprotov6.SchemaAttribute) {
		for _, a := range as {
			kind := "optional"
			if a.Required {
				kind = "required"
			}
			out[prefix+a.Name] = kind
			if a.NestedType != nil {
				attrs(prefix+a.Name+".", a.NestedType.Attributes)
			}
		}
	}
	attrs("", b.Attributes)
	for _, nb := range b.BlockTypes {
		out[nb.TypeName] = "optional"
		if nb.Block != nil {
			attrs(nb.TypeName+".", nb.Block.Attributes)
		}
	}
	return out
}

// documentedArguments reads the argument list of a page in tfplugindocs' layout: "### Required" and
// "### Optional" at the top, then "### Nested Schema for `x`" sections with "Required:" and "Optional:".
// Each argument is a "- `name` (Type) …" line.
func documentedArguments(page string) map[string]string {
	out := map[string]string{}
	section, kind := "", ""
	inArgs := false
	nested := regexp.MustCompile("^### Nested Schema for `([^`]+)`")
	item := regexp.MustCompile("^- `([^`]+)` \\(")
	for _, line := range strings.Split(page, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "## Argument Reference":
			inArgs = true
		case strings.HasPrefix(line, "## "):
			inArgs = false
		case !inArgs:
		case line == "### Required", line == "Required:":
			kind = "required"
		case line == "### Optional", line == "Optional:":
			kind = "optional"
		case nested.MatchString(line):
			section, kind = nested.FindStringSubmatch(line)[1]+".", ""
		case item.MatchString(line):
			out[section+item.FindStringSubmatch(line)[1]] = kind
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
