#!/usr/bin/env bash
# build-cli.sh NAME VERSION OUT: put the Terraform or OpenTofu CLI of VERSION at OUT, built from its Go
# module served by the Go module proxy (the only thing this network can fetch). NAME is terraform or tofu.
#
#   scripts/build-cli.sh terraform 1.15.5 bin/terraform-1.15.5
#   scripts/build-cli.sh tofu 1.12.6 bin/tofu-1.12.6
#
# A cold build takes about 6 minutes on 2 cores, so each binary is also kept in a per-user cache outside
# the clone, keyed by CLI version, Go version and platform:
#   ${OCP_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-ocp}/NAME-VERSION-GOVERSION-GOOS_GOARCH
# A fresh clone on the same machine copies it from there instead of building again. Delete the file (or
# the directory) to force a rebuild.
#
# The binaries are for the tests of this repository. The Terraform one lacks the remote-state backends
# that live in nested Go modules (azurerm, consul, cos, gcs, kubernetes, oci, oss, pg, s3): the module
# zip that the proxy serves does not contain them (see build_terraform). local, http, inmem, remote and
# cloud remain; the tests use local state only. The OpenTofu one is built as its release is.
set -euo pipefail

die() { echo "build-cli.sh: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: build-cli.sh terraform|tofu VERSION OUT"
name=$1 version=${2#v} out=$3
go=${GO:-go}

case $name in
terraform) module=github.com/hashicorp/terraform pkg=. ;;
tofu) module=github.com/opentofu/opentofu pkg=./cmd/tofu ;;
*) die "unknown CLI $name (terraform or tofu)" ;;
esac

# The Go toolchain on PATH builds it (no toolchain download), so its version keys the cache.
export GOTOOLCHAIN=local
goversion=$($go env GOVERSION)
platform=$($go env GOOS)_$($go env GOARCH)
cache_dir=${OCP_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-ocp}
cached="$cache_dir/$name-$version-$goversion-$platform"

# works BIN: BIN runs and reports VERSION (release builds print "Terraform v1.15.5" / "OpenTofu v1.12.6").
# No CLI configuration: tofu prints the problems of a broken one on stdout, before its version.
# (The output is read whole first: grep -q quitting early would fail the pipeline with SIGPIPE.)
works() {
	local out
	out=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null) || return 1
	grep -qE "^(Terraform|OpenTofu) v${version//./\\.}\$" <<<"$out"
}

# install SRC DST: copy through a temporary name, so that an interrupted copy never leaves a DST that looks done.
install_bin() {
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2.tmp.$$" && chmod 0755 "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

if [ -x "$cached" ] && works "$cached"; then
	install_bin "$cached" "$out"
	echo "build-cli.sh: $out copied from the cache ($cached)"
	exit 0
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ocp-build-$name.XXXXXX")
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

echo "build-cli.sh: building $name $version with $goversion (a few minutes on a cold Go cache; kept in $cache_dir)"
start=$(date +%s)
# The module's source, through the proxy, into the module cache (read-only there), copied to a scratch
# directory that the build may change. Run outside any module so that no go.mod is touched.
dir=$(cd "$scratch" && $go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] && [ -d "$dir" ] || die "go mod download $module@v$version gave no source directory"
cp -R "$dir" "$scratch/src"
chmod -R u+w "$scratch/src"
cd "$scratch/src"

# build_terraform: Terraform's go.mod requires, and replaces with ./internal/..., nested modules (the
# remote-state backends and internal/legacy) that are separate Go modules and so are missing from the
# module zip: `go build` fails on them. Drop those requirements and replacements, and the nested backends'
# imports and registrations from internal/backend/init/init.go (the one non-test file that imports them;
# internal/legacy is imported by tests only). Each edit is checked, so that a new Terraform that moves
# things fails here with a plain message rather than somewhere in the build.
build_terraform() {
	local nested='github\.com/hashicorp/terraform/internal/'
	grep -q "$nested" go.mod || die "terraform $version: go.mod names no nested module: the recipe may be obsolete (try a plain build)"
	sed -i "\#$nested#d" go.mod
	local init=internal/backend/init/init.go backends='Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3'
	sed -E -i "/backend($backends)[ .]/d" "$init"
	if grep -nE 'internal/backend/remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"' "$init"; then
		die "terraform $version: $init still imports a nested backend after the edit"
	fi
	local left
	left=$(grep -rlE --include='*.go' --exclude='*_test.go' \
		'"github\.com/hashicorp/terraform/internal/(legacy|backend/remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3))' . || true)
	[ -z "$left" ] || die "terraform $version: these files still import a nested module: $left"
}
[ "$name" = terraform ] && build_terraform

# -mod=mod: go.sum may lack lines for the trimmed module graph; the proxy (and its checksum database)
# supplies them. version.dev=no is what release builds set: `version` prints 1.15.5, not 1.15.5-dev.
CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" $go build -trimpath \
	-ldflags "-s -w -X $module/version.dev=no" -o "$scratch/$name" "$pkg"
works "$scratch/$name" || die "the $name just built does not report version $version: $(TF_CLI_CONFIG_FILE=/dev/null "$scratch/$name" version 2>&1)"

install_bin "$scratch/$name" "$cached"
install_bin "$scratch/$name" "$out"
echo "build-cli.sh: $out built in $(($(date +%s) - start))s, and kept in $cached"
