#!/usr/bin/env bash
# make demo: build the provider and the OCP simulator, serve the simulator on a free loopback port, point
# Terraform at the built provider through a temporary CLI config (dev_overrides: no registry), then run
# the example in this folder. Everything lives in a temporary directory that is removed at the end.
#
# TF_CLI names the CLI to run (default: terraform on PATH); OpenTofu works the same way:
#   TF_CLI=bin/tofu-1.12.6 make demo
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ocp-demo.XXXXXX")
sim_pid=""
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

tf=${TF_CLI:-terraform}
command -v "$tf" >/dev/null || { echo "make demo needs terraform on PATH (Terraform >= 1.5), or TF_CLI naming terraform or tofu." >&2; exit 1; }
case $tf in */*) tf=$(cd "$(dirname "$tf")" && pwd)/$(basename "$tf") ;; esac # the demo runs in another directory
# tf_name is how the steps below are titled: terraform, or tofu for OpenTofu.
tf_name=terraform
case $(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tf" version 2>/dev/null) in OpenTofu*) tf_name=tofu ;; esac

say "Building the provider and the OCP simulator"
(cd "$root" && go build -o "$work/bin/terraform-provider-ocp" . && go build -o "$work/ocpsim" ./internal/ocpsim/cmd/ocpsim)

say "Starting the OCP simulator on a free loopback port"
"$work/ocpsim" -listen 127.0.0.1:0 -url-file "$work/url" -step "${OCPSIM_STEP:-800ms}" >"$work/ocpsim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
[ -s "$work/url" ] || { echo "the simulator did not start:" >&2; cat "$work/ocpsim.log" >&2; exit 1; }
export OCP_URL=$(cat "$work/url") OCP_USERNAME=admin OCP_PASSWORD=admin-Passw0rd
echo "OCP simulator at $OCP_URL"

# dev_overrides makes plan and apply use the binary just built; the local mirror beside it lets
# terraform init succeed without asking the registry for a provider it then would not use. The source
# "ocpdr/ocp" is registry.terraform.io/ocpdr/ocp to Terraform and registry.opentofu.org/ocpdr/ocp to
# OpenTofu: the mirror holds both addresses, and dev_overrides' "ocpdr/ocp" means each CLI's own.
for host in registry.terraform.io registry.opentofu.org; do
	mirror="$work/mirror/$host/ocpdr/ocp/0.0.1/$(go env GOOS)_$(go env GOARCH)"
	mkdir -p "$mirror" && cp "$work/bin/terraform-provider-ocp" "$mirror/terraform-provider-ocp_v0.0.1"
done
cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "ocpdr/ocp" = "$work/bin"
  }
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/ocpdr/ocp", "registry.opentofu.org/ocpdr/ocp"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
mkdir "$work/tf" && cp "$root"/examples/demo/*.tf "$work/tf/"
cd "$work/tf"

say "$tf_name init"
"$tf" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
grep -E '^- (Installed|Using)' "$work/init.log" || true
echo "(plan and apply use the provider built above, through dev_overrides)"

# apply_with_progress runs $tf apply with the provider's INFO log on stderr, merged into one stream
# with Terraform's own output, so that the lines appear in the order Terraform wrote them: the plan (of an
# -auto-approve apply), "Creating..."/"Modifying...", each subtask transition of the OCP task, the result.
# (Reading the log from a file while keeping Terraform's output for the end printed the progress before
# the plan and before "Modifying...".) The filter keeps the log's progress lines and drops its others;
# TF_LOG_SDK_PROTO=OFF leaves out the SDK's multi-line copies of the diagnostics.
apply_with_progress() {
	TF_LOG_PROVIDER=INFO TF_LOG_SDK_PROTO=OFF "$tf" apply -input=false -compact-warnings "$@" 2>&1 |
		sed -u -n -E "$apply_filter"
}
apply_filter=$(
	cat <<'SED'
# A log line (perhaps glued to the colour reset that ended Terraform's previous line).
s/^(\x1b\[[0-9;]*m)+([0-9]{4}-[0-9]{2}-[0-9]{2}T)/\2/
/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \[/{
	# The provider has exited, so its last log lines are in: print what was held back (below).
	/ provider: plugin process exited/{
		x
		s/^\n//
		/./p
		s/.*//
		x
	}
	s/.* provider\.terraform-provider-ocp[^:]*: (switchover started|a switchover of the pair is already running[^:]*|tenant roles already hold[^:]*):?.*/   \1/p
	s/.* provider\.terraform-provider-ocp[^:]*: task ([0-9]+) "[^"]*": (\[[0-9]+\/[0-9]+\] "[^"]*" (RUNNING|SUCCESSFUL|FAILED)).*/   task \1 \2/p
	$ {
		x
		s/^\n//
		/./p
	}
	d
}
# Terraform's own lines, less blank, "Reading..." and "Still ..." ones. A resource's "... complete after"
# and what follows it are held until the provider exits: the task's last progress lines may reach
# Terraform's log a moment after the resource completed.
/^(\x1b\[[0-9;]*m)*$/d
/Reading\.\.\.|Read complete|Still (modifying|creating)/d
x
/./{
	x
	H
	$!d
	x
	s/^\n//
	p
	d
}
x
/ complete after /{
	H
	$!d
	x
	s/^\n//
	p
	d
}
p
SED
)

say "$tf_name plan: the DR drill makes ohayo_2 PRIMARY (OCP's precheck runs now)"
"$tf" plan -input=false -out=drill.tfplan

say "$tf_name apply: switchover, with each subtask of OCP's task as it runs"
apply_with_progress drill.tfplan

say "$tf_name plan -detailed-exitcode: nothing left to do"
rc=0
"$tf" plan -input=false -compact-warnings -detailed-exitcode >"$work/replan.out" 2>&1 || rc=$?
grep -E 'No changes|Plan:' "$work/replan.out" || true
echo "exit code $rc"
[ "$rc" -eq 0 ] || { cat "$work/replan.out" >&2; exit 1; }

say "$tf_name apply -var drill_active=false: switch back, the same edit reversed"
apply_with_progress -auto-approve -var drill_active=false

say "$tf_name plan -var drill_active=false -detailed-exitcode: nothing left to do"
rc=0
"$tf" plan -input=false -compact-warnings -detailed-exitcode -var drill_active=false >"$work/replan2.out" 2>&1 || rc=$?
grep -E 'No changes|Plan:' "$work/replan2.out" || true
echo "exit code $rc"
[ "$rc" -eq 0 ] || { cat "$work/replan2.out" >&2; exit 1; }

say "Final roles, as OCP reports them"
"$tf" output roles
say "Done: the drill switched the ohayo pair over and back. The simulator stops and $work is removed."
