# `make demo` plans this config and expects it to fail: "Domain DNS" is a
# domain-scoped role, so an account-wide policy (no zone_ids) cannot hold it.
# The error names the attribute, the role's real scope and what to write
# instead. It fails at `terraform validate` already, with no credentials.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

provider "cfiam" {}

resource "cfiam_account_member" "dns_editor" {
  email    = "dns-editor@example.com"
  policies = [{ access = "allow", roles = ["Domain DNS"] }]
}
