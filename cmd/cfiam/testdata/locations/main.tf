terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}

locals {
  account_id = "f037e56e89293a057740de681ac9abbe"
}

# Line 12: alice becomes Super Administrator.
resource "cfiam_account_member" "alice" {
  account_id = local.account_id
  email      = "alice@example.com"
  status     = "accepted"
  policies = [{
    access = "allow"
    roles  = ["Super Administrator - All Privileges"]
  }]
}

module "team" {
  source = "./modules/team"
}

# Line 27: one block, an instance per e-mail.
resource "cfiam_account_member" "ops" {
  for_each   = toset(["carol@example.com"])
  account_id = local.account_id
  email      = each.key
  status     = "accepted"
  policies = [{
    access = "allow"
    roles  = ["Domain DNS"]
  }]
}
