#!/usr/bin/env bash
# Usage: scripts/test-matrix.sh [--extra-only]
# The Go tests of `make test`, on a matrix of Terraform and OpenTofu CLIs:
#
#  1. every test (unit and acceptance) against the `terraform` on PATH (1.11
#     or newer; the oldest supported release is what CI has);
#  2. then, on each extra CLI, the representative set of acceptance tests
#     named by MATRIX_RUN below: each resource's lifecycle and import (ID
#     string, generated configuration, identity), the plan-time errors, and
#     the list resources and `terraform query` (which skip below Terraform 1.14
#     and on OpenTofu, saying so).
#
# The extra CLIs come from scripts/extra-clis.sh: CFIAM_TEST_CLIS
# (comma-separated paths; `none` for no extra leg), else Terraform 1.15.9 and
# OpenTofu 1.12.6 from ../shared/tools/cli where that exists (developer
# machines; never in a user's clone, where the first leg alone runs). Each goes to
# terraform-plugin-testing through its own switches: TF_ACC_TERRAFORM_PATH,
# and TF_ACC_PROVIDER_HOST=registry.opentofu.org for OpenTofu. Prints each
# leg's wall time; fails if any leg failed, after running them all.
set -uo pipefail
cd "$(dirname "$0")/.."

# The representative set, by test name: kept here only (CONTRIBUTING.md says what it covers).
# One lifecycle per resource: the resource group's is _zones (_tunnels, the same
# resource with another kind, runs in the first leg only).
MATRIX_RUN="${CFIAM_MATRIX_RUN:-^TestAcc[A-Za-z]+_(lifecycle|additive|zones|import[A-Za-z]*|cliGenerateConfigOut[A-Za-z]*|generateConfigOutCLI|invalid[A-Za-z]*|validat[A-Za-z]*|validAtValidate|[A-Za-z]*AtPlan|malformedEmail|wrongScope|unknownName|ambiguous)\$|^TestAccEphemeralAPIToken\$|^TestAccQuery_[A-Za-z]+\$|^TestAcc[A-Za-z]+_list[A-Za-z]*\$}"
GO_TEST_FLAGS="${GO_TEST_FLAGS:--count=1 -timeout 15m}"
read -r -a go_flags <<<"$GO_TEST_FLAGS"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An empty CLI configuration for the extra legs: OpenTofu cannot parse its
# version output when TF_CLI_CONFIG_FILE names a missing file.
: >"$work/empty.tfrc"

summary=()
failed=0

# record LABEL SECONDS STATUS
record() {
  local verdict=ok
  [ "$3" -eq 0 ] || { verdict=FAILED; failed=1; }
  summary+=("$(printf '%-40s %-6s %4ss' "$1" "$verdict" "$2")")
}

if [ "${1:-}" != "--extra-only" ]; then
  label="$(terraform version 2>/dev/null)"
  label="${label%%$'\n'*}, all tests"
  echo "== leg: $label"
  start=$SECONDS
  go test "${go_flags[@]}" ./...
  status=$?
  record "$label" $((SECONDS - start)) "$status"
fi

clis=()
list="$(scripts/extra-clis.sh)" || failed=1
[ -z "$list" ] || mapfile -t clis <<<"$list"

for bin in "${clis[@]}"; do
  if ! version="$(TF_CLI_CONFIG_FILE="$work/empty.tfrc" "$bin" version 2>&1)"; then
    echo "skipping $bin: '$bin version' failed" >&2
    failed=1
    continue
  fi
  version="${version%%$'\n'*}"
  host=registry.terraform.io
  case "$version" in OpenTofu*) host=registry.opentofu.org ;; esac
  label="$version, representative set"
  echo "== leg: $label ($bin)"
  start=$SECONDS
  TF_ACC_TERRAFORM_PATH="$bin" TF_ACC_PROVIDER_HOST="$host" TF_CLI_CONFIG_FILE="$work/empty.tfrc" \
    go test "${go_flags[@]}" -run "$MATRIX_RUN" ./internal/provider/
  status=$?
  record "$label" $((SECONDS - start)) "$status"
done

if [ "${#summary[@]}" -gt 0 ]; then
  echo
  echo "== CLI matrix (wall time per leg)"
  printf '%s\n' "${summary[@]}"
fi
exit "$failed"
