#!/usr/bin/env bash
# Builds the kustomize base and the kmsg overlay of packaging/kubernetes/ with every kubectl
# here (the one on PATH and Debian 12's kubernetes-client, which .ci/install-deps unpacks into
# $DEBIAN_KUBECTL_ROOT where another package owns /usr/bin/kubectl), requires them to agree,
# installs the pinned validator (npm ci, from package-lock.json) into a temporary copy of this
# directory and validates each build with it. Fails without kubectl, node or npm: a validation
# that did not run must not pass.
# Usage: validate-manifests.sh SOURCE_ROOT
set -euo pipefail
src=$(realpath "$1")
debian_kubectl=${DEBIAN_KUBECTL_ROOT:-/opt/taint-exporter-ci/kubernetes-client}/usr/bin/kubectl
for tool in kubectl node npm; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL: $tool is needed to build and validate the manifests (see .ci/packages)" >&2; exit 1; }
done
kubectls=(kubectl)
[ -x "$debian_kubectl" ] && kubectls+=("$debian_kubectl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/tests/packaging/package.json" "$src/tests/packaging/package-lock.json" \
	"$src/tests/packaging/validate-manifests.mjs" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
for profile in base kmsg; do
	dir=$src/packaging/kubernetes/base
	[ "$profile" = kmsg ] && dir=$src/packaging/kubernetes/overlays/kmsg
	for i in "${!kubectls[@]}"; do
		k=${kubectls[$i]}
		# Newer kubectls warn on stderr of the fields Debian 12's reads (bases:, patchesStrategicMerge:).
		"$k" kustomize "$dir" >"$tmp/$profile.$i.yaml" 2>"$tmp/err" ||
			{ cat "$tmp/err" >&2; echo "FAIL: $k kustomize $dir" >&2; exit 1; }
		echo "built: $profile with $k ($("$k" version --client 2>/dev/null | head -1))"
		cmp -s "$tmp/$profile.0.yaml" "$tmp/$profile.$i.yaml" ||
			{ diff "$tmp/$profile.0.yaml" "$tmp/$profile.$i.yaml" >&2; echo "FAIL: ${kubectls[0]} and $k build $dir differently" >&2; exit 1; }
	done
	node "$tmp/validate-manifests.mjs" "$profile" "$tmp/$profile.0.yaml"
done
