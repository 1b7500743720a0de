#!/usr/bin/env bash
# Installs the pinned validator (npm ci, from package-lock.json) into a temporary copy of
# this directory and validates packaging/kubernetes/*.yaml with it. Fails without npm: a
# validation that did not run must not pass.
# Usage: validate-manifests.sh SOURCE_ROOT
set -euo pipefail
src=$(realpath "$1")
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
	echo "FAIL: node and npm are needed to validate the manifests (see .ci/packages)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/tests/packaging/package.json" "$src/tests/packaging/package-lock.json" \
	"$src/tests/packaging/validate-manifests.mjs" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$tmp/validate-manifests.mjs" "$src/packaging/kubernetes"
