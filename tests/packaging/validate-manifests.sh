#!/usr/bin/env bash
# Installs the pinned validator (npm ci, from package-lock.json) into a temporary copy of
# this directory and validates packaging/kubernetes/*.yaml with it. Skips (77) without npm.
# Usage: validate-manifests.sh SOURCE_ROOT
set -euo pipefail
src=$(realpath "$1")
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
	echo "node and npm are needed (see .ci/packages)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/tests/packaging/package.json" "$src/tests/packaging/package-lock.json" \
	"$src/tests/packaging/validate-manifests.mjs" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$tmp/validate-manifests.mjs" "$src/packaging/kubernetes"
