# Application team workspace, Access side: the team administers its own Access
# application (and the policies attached to it), for members the platform
# team manages, exactly as it does its Tunnel. Each binding adds one policy to
# its member and owns only that policy.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

# Credentials and account from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID:
# credentials that may edit members (Account Settings Edit).
provider "cfiam" {}

variable "access_application_id" {
  description = "The team's Access application; in practice cloudflare_zero_trust_access_application.app.id."
  type        = string
  default     = "64949abf-2738-491b-bd96-c0e80945fb37" # app-a in the emulator
}

data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

# The team lead administers the application and the policies attached to it
# (not the account's reusable policies: those need Cloudflare Access Policy
# Admin on each, cfiam_access_policy_binding).
resource "cfiam_access_application_binding" "lead" {
  member_id              = data.cfiam_account_member.alice.id
  roles                  = ["Cloudflare Access App Admin"]
  access_application_ids = [var.access_application_id]
}
