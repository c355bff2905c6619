#!/usr/bin/env bash
# Usage: scripts/cli-config.sh <provider-binary-dir> <out-file>
# Writes a Terraform CLI config whose dev_overrides point cfiam/cfiam at a local
# build, so that validate, plan and apply need no registry and no `terraform init`.
set -euo pipefail
cat >"$2" <<CFG
provider_installation {
  dev_overrides {
    "cfiam/cfiam" = "$1"
  }
  direct {}
}
CFG
