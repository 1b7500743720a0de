#!/usr/bin/env bash
# mixin_render.sh ROOT: the files the project ships from the mixin (dashboards/ and the
# Kubernetes base's PrometheusRule and dashboard ConfigMaps) are exactly a fresh render of
# mixin/, and the mixin's jsonnet is formatted as jsonnetfmt writes it. On a difference it
# names the file and shows the diff: edit mixin/ and run mixin/render, never the output.
set -euo pipefail
root=$(realpath "$1")
for tool in jsonnet jsonnetfmt; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool not found: apt-get install jsonnet" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/mixin/render" "$tmp/out"
status=0
while IFS= read -r -d '' file; do
	shipped=$root/${file#"$tmp/out"/}
	if ! diff -u "$shipped" "$file" >"$tmp/diff"; then
		echo "FAIL: ${shipped#"$root"/} differs from a fresh render of mixin/ (run mixin/render):" >&2
		head -40 "$tmp/diff" >&2
		status=1
	fi
done < <(find "$tmp/out" -type f -print0)
count=$(find "$tmp/out" -type f | wc -l)
[ "$count" = 5 ] || { echo "FAIL: the render wrote $count files, expected 5" >&2; exit 1; }
mapfile -t sources < <(find "$root/mixin" -name '*.libsonnet' -o -name '*.jsonnet')
for f in "${sources[@]}" "$root/tests/dashboards/mixin_override.jsonnet"; do
	jsonnetfmt --test "$f" || { echo "FAIL: $f is not formatted (jsonnetfmt -i $f)" >&2; status=1; }
done
[ "$status" = 0 ] && echo "ok: $count rendered files match mixin/; ${#sources[@]} jsonnet files formatted"
exit "$status"
