#!/usr/bin/env bash
# Usage: scripts/extra-clis.sh
# Prints the paths of the CLIs that `make test` tests on besides the
# `terraform` on PATH, one per line: CFIAM_TEST_CLIS (comma-separated;
# `none` for none), else Terraform 1.15.9 and OpenTofu 1.12.6 from
# ../shared/tools/cli, which exists on the team's machines only (never in a
# user's clone). Says on stderr which legs it skips; exits 1 when a CLI that
# should be there cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${CFIAM_TEST_CLIS:-}" ]; then
  [ "$CFIAM_TEST_CLIS" = none ] && exit 0
  tr ',' '\n' <<<"$CFIAM_TEST_CLIS" | sed '/^$/d'
  exit 0
fi
if [ ! -x ../shared/tools/cli ]; then
  echo "skipping the Terraform 1.15.9 / OpenTofu 1.12.6 legs: ../shared/tools/cli not found (set CFIAM_TEST_CLIS=/path/a,/path/b to run them)" >&2
  exit 0
fi
status=0
for name in terraform-1.15.9 tofu-1.12.6; do
  if ! ../shared/tools/cli "$name"; then
    echo "skipping the $name leg: ../shared/tools/cli $name failed" >&2
    status=1
  fi
done
exit "$status"
