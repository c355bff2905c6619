terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

variable "cloudflare_api_token" {
  type      = string
  sensitive = true
}

# Credentials and the default account may also come from CLOUDFLARE_API_TOKEN
# and CLOUDFLARE_ACCOUNT_ID.
provider "cfiam" {
  api_token  = var.cloudflare_api_token
  account_id = "f037e56e89293a057740de681ac9abbe"
}
