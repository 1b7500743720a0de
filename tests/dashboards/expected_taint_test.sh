#!/usr/bin/env bash
# The expected-taint promtool tests: expected_taint.rules.test.yml against a copy of the rules
# that expects P, O and E from nvidia and zfs (expect_modules.sh), in a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rules=$here/../../dashboards/taint_exporter.rules.yml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/expect_modules.sh" "$rules" "$tmp/taint_exporter.rules.yml" 'nvidia|zfs' 'P|O|E'
cp "$here/expected_taint.rules.test.yml" "$tmp/"
promtool test rules "$tmp/expected_taint.rules.test.yml"
