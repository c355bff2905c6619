# Platform team workspace: who is a member of the account, and which account
# roles they hold. It is authoritative for these members' own policies; the
# Tunnel bindings that application teams add in their workspaces are left
# alone and never show as drift here.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

# Credentials and account from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID.
provider "cfiam" {}

# The application team: enough to sign in and see the account, no Tunnel
# access of their own. The app team grants that in its workspace.
resource "cfiam_account_member" "app_team" {
  for_each = toset(["alice@example.com", "bob@example.com"])

  email  = each.key
  status = "accepted" # "pending" (the default) sends an invitation instead
  policies = [
    { access = "allow", roles = ["Minimal Account Access"] },
  ]
}

# The platform team itself keeps Zero Trust (and so every Tunnel) account-wide.
resource "cfiam_account_member" "platform" {
  email  = "platform@example.com"
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Cloudflare Zero Trust"] },
  ]
}

output "app_team_member_ids" {
  value = { for email, m in cfiam_account_member.app_team : email => m.id }
}
