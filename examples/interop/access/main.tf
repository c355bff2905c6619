# Access to a zone and a Tunnel that another provider manages, by their IDs.
# The IDs are unknown until the zone and the Tunnel exist: the roles are still
# checked at plan, since the scope comes from which attribute is set.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

variable "account_id" {
  type        = string
  description = "The Cloudflare account."
}

variable "zone_id" {
  type        = string
  description = "A zone ID, e.g. cloudflare_zone.x.id."
}

variable "tunnel_id" {
  type        = string
  description = "A Tunnel ID, e.g. cloudflare_zero_trust_tunnel_cloudflared.x.id."
}

resource "cfiam_account_member" "shop_team" {
  account_id = var.account_id
  email      = "shop-team@example.com"
  policies = [
    { access = "allow", roles = ["Domain DNS", "Cache Domain Purge"], zone_ids = [var.zone_id] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Admin"], tunnel_ids = [var.tunnel_id] },
  ]
}

resource "cfiam_api_token" "shop_ci" {
  name = "shop-ci"
  policies = [
    { effect = "allow", permission_groups = ["DNS Write", "Zone Read"], zone_ids = [var.zone_id] },
  ]
}
