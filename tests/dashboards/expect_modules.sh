#!/usr/bin/env bash
# expect_modules.sh RULES OUT MODULES FLAGS: a copy of the alerting rules with the expected
# taint filled in, as docs/alerting.md tells a user to do it: the two regexes of the
# kernel_taint:module_flag_expected rule set to MODULES and FLAGS (e.g. 'nvidia|zfs' 'P|O|E').
# The mixin's _config sets the same two regexes (expectedModules, expectedFlags); this is the way
# for those who load the rendered file as it is.
# Fails unless exactly that one line changed and promtool accepts the copy. Used by the
# expected-taint rule tests and the fleet rehearsal.
set -euo pipefail
rules=$1
out=$2
modules=$3
flags=$4
shipped='kernel_module_taint_flag{job="taint_exporter", module=~"", flag=~""} == 1'
[ "$(grep -cF "$shipped" "$rules")" = 1 ] ||
	{ echo "expect_modules: $rules has no single line '$shipped'" >&2; exit 1; }
awk -v shipped="$shipped" \
	-v edited="kernel_module_taint_flag{job=\"taint_exporter\", module=~\"$modules\", flag=~\"$flags\"} == 1" '
	index($0, shipped) { sub(/kernel_module_taint_flag.*/, edited) } { print }' "$rules" >"$out"
changed=$(diff "$rules" "$out" | grep -c '^>' || true)
[ "$changed" = 1 ] || { echo "expect_modules: expected one changed line, got $changed" >&2; exit 1; }
promtool check rules "$out" >/dev/null
