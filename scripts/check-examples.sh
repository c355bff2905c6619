#!/usr/bin/env bash
# Usage: scripts/check-examples.sh <provider-binary>
# Every directory under examples/ with .tf files must be `terraform fmt`-clean
# and pass `terraform validate` against the built provider, with no credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
provider_bin="$(cd "$(dirname "$1")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scripts/cli-config.sh "$provider_bin" "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
unset CLOUDFLARE_API_TOKEN CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL CLOUDFLARE_BASE_URL CLOUDFLARE_ACCOUNT_ID

if ! terraform fmt -check -recursive -diff examples; then
  echo "examples/ is not terraform fmt-clean: run 'make fmt'" >&2
  exit 1
fi

failed=0 checked=0
while IFS= read -r dir; do
  # A directory marked .fmt-only needs another provider from the registry
  # (no network here): its formatting is checked above, not validated.
  if [ -e "$dir/.fmt-only" ]; then
    echo "fmt only: $dir"
    continue
  fi
  dest="$work/$(echo "$dir" | tr / _)"
  mkdir -p "$dest"
  cp "$dir"/*.tf "$dest"/
  # Examples on the docs pages omit the provider requirement; supply it.
  if ! grep -qs required_providers "$dest"/*.tf; then
    printf 'terraform {\n  required_providers {\n    cfiam = { source = "cfiam/cfiam" }\n  }\n}\n' >"$dest/_cfiam_provider.tf"
  fi
  checked=$((checked + 1))
  if ! out="$(terraform -chdir="$dest" validate -no-color 2>&1)"; then
    echo "FAIL terraform validate $dir:" >&2
    echo "$out" >&2
    failed=1
  fi
done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)
echo "examples: $checked directories fmt-clean and valid"

# The demo's wrong-scope config must fail `terraform validate`, with no
# credentials, naming the rule it breaks.
cp -r scripts/demo-wrong-scope "$work/wrong-scope"
if out="$(terraform -chdir="$work/wrong-scope" validate -no-color 2>&1)"; then
  echo "FAIL scripts/demo-wrong-scope passed terraform validate; a role at the wrong scope must fail it" >&2
  failed=1
elif ! grep -q "Role used at the wrong scope" <<<"$out"; then
  echo "FAIL scripts/demo-wrong-scope failed validate for another reason:" >&2
  echo "$out" >&2
  failed=1
else
  echo "wrong-scope: terraform validate rejects it with no credentials, as it should"
fi
exit "$failed"
