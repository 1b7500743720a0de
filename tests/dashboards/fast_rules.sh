#!/usr/bin/env bash
# fast_rules.sh RULES OUT: a test copy of the alerting rules in which every duration in minutes
# becomes the same number of seconds (sed 's/\[Nm\]/[Ns]/; s/for: "Nm"/for: "Ns"/'): the same
# expressions, sixty times faster, so that the 30m new-taint window is 30 s. The copy is checked
# to turn back into the real file by the reverse substitution, and with promtool. Used by the
# fleet rehearsal and the kernel test bed, which both run a real Prometheus on these rules.
set -euo pipefail
rules=$1
out=$2
sed -E 's/\[([0-9]+)m\]/[\1s]/g; s/^( *for: "?)([0-9]+)m("?)$/\1\2s\3/' "$rules" >"$out"
if grep -Eq '\[[0-9]+s\]|for: "?[0-9]+s"?$' "$rules" ||
	! sed -E 's/\[([0-9]+)s\]/[\1m]/g; s/^( *for: "?)([0-9]+)s("?)$/\1\2m\3/' "$out" |
	cmp -s - "$rules" || cmp -s "$rules" "$out"; then
	echo "fast_rules: the fast copy of the rules differs from $rules in more than durations" >&2
	exit 1
fi
promtool check rules "$out" >/dev/null
