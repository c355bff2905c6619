#!/usr/bin/env bash
# Usage: [TF=tofu] scripts/check-examples.sh <provider-binary>
# Every directory under examples/ with .tf files must be `terraform fmt`-clean
# and pass `terraform validate` against the built provider, with no credentials.
# TF names the CLI (default: terraform on PATH); OpenTofu's `tofu` works alike.
# The identity import examples (import-identity.tf) need Terraform 1.12 or
# OpenTofu 1.12: validated on such a CLI, announced and left out on older ones.
set -euo pipefail
cd "$(dirname "$0")/.."
provider_bin="$(cd "$(dirname "$1")" && pwd)"
TF="${TF:-terraform}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scripts/cli-config.sh "$provider_bin" "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
unset CLOUDFLARE_API_TOKEN CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL CLOUDFLARE_BASE_URL CLOUDFLARE_ACCOUNT_ID

version="$("$TF" version)"
version="${version%%$'\n'*}"
echo "examples: checking with $version"
identity=0
if [[ "$version" =~ v1\.([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge 12 ]; then
  identity=1
fi

if ! "$TF" fmt -check -recursive -diff examples; then
  echo "examples/ is not terraform fmt-clean: run 'make fmt'" >&2
  exit 1
fi

failed=0 checked=0 skipped_identity=0

# validate NAME FILES: `validate` of FILES (space-separated) in a directory of their own.
validate() {
  local dest="$work/$(echo "$1" | tr / _)"
  mkdir -p "$dest"
  # shellcheck disable=SC2086 # FILES is a list of paths without spaces
  cp $2 "$dest"/
  # Examples on the docs pages omit the provider requirement; supply it.
  if ! grep -qs required_providers "$dest"/*.tf; then
    printf 'terraform {\n  required_providers {\n    cfiam = { source = "cfiam/cfiam" }\n  }\n}\n' >"$dest/_cfiam_provider.tf"
  fi
  checked=$((checked + 1))
  if ! out="$("$TF" -chdir="$dest" validate -no-color 2>&1)"; then
    echo "FAIL $TF validate $1:" >&2
    echo "$out" >&2
    failed=1
  fi
}

while IFS= read -r dir; do
  # A directory marked .fmt-only needs another provider from the registry
  # (no network here): its formatting is checked above, not validated.
  if [ -e "$dir/.fmt-only" ]; then
    echo "fmt only: $dir"
    continue
  fi
  # The example directory as it is, but for its identity import; then
  # that import beside the resources it imports into (without the ID-string
  # import of the same resource, which would be a duplicate).
  validate "$dir" "$(find "$dir" -maxdepth 1 -name '*.tf' ! -name import-identity.tf)"
  if [ -e "$dir/import-identity.tf" ]; then
    if [ "$identity" -eq 1 ]; then
      validate "$dir/import-identity.tf" "$(find "$dir" -maxdepth 1 -name '*.tf' ! -name 'import-*.tf') $dir/import-identity.tf"
    else
      skipped_identity=$((skipped_identity + 1))
    fi
  fi
done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)
echo "examples: $checked configurations fmt-clean and valid"
if [ "$skipped_identity" -gt 0 ]; then
  echo "examples: $skipped_identity identity import examples not validated: $version predates resource identity (Terraform 1.12); make test validates them on Terraform 1.15.9 and OpenTofu 1.12.6 where ../shared/tools/cli has them"
fi

# The demo's wrong-scope config must fail `terraform validate`, with no
# credentials, naming the rule it breaks.
cp -r scripts/demo-wrong-scope "$work/wrong-scope"
if out="$("$TF" -chdir="$work/wrong-scope" validate -no-color 2>&1)"; then
  echo "FAIL scripts/demo-wrong-scope passed terraform validate; a role at the wrong scope must fail it" >&2
  failed=1
elif ! grep -q "Role used at the wrong scope" <<<"$out"; then
  echo "FAIL scripts/demo-wrong-scope failed validate for another reason:" >&2
  echo "$out" >&2
  failed=1
else
  echo "wrong-scope: $TF validate rejects it with no credentials, as it should"
fi
exit "$failed"
