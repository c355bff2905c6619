# cfiam next to the official cloudflare provider: the official provider owns
# the zone and the Tunnel, cfiam owns who may do what on them. This root
# module needs the cloudflare provider from the registry, so `make test` only
# checks its formatting (see .fmt-only); the access module it calls uses cfiam
# alone and is validated like every other example.
terraform {
  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 5.0"
    }
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

variable "account_id" {
  type = string
}

resource "cloudflare_zone" "shop" {
  account = { id = var.account_id }
  name    = "shop.example.com"
}

resource "cloudflare_zero_trust_tunnel_cloudflared" "shop" {
  account_id = var.account_id
  name       = "shop"
}

module "access" {
  source     = "./access"
  account_id = var.account_id
  zone_id    = cloudflare_zone.shop.id
  tunnel_id  = cloudflare_zero_trust_tunnel_cloudflared.shop.id
}
