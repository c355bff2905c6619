# `make demo` plans this config and expects it to fail: "DNS Write" is a zone
# permission group, so asking for it at account scope is an error at plan time,
# with the scopes where the name does exist.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

provider "cfiam" {}

data "cfiam_permission_group" "dns_write" {
  name  = "DNS Write"
  scope = "account"
}
