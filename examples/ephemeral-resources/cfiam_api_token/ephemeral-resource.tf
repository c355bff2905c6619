# A short-lived token for this run only: created when Terraform opens it,
# deleted when it closes it, expiring after ttl in any case. Its value never
# reaches the plan or the state, so it can configure a provider, such as the
# cloudflare provider's api_token, or feed a write-only attribute.
ephemeral "cfiam_api_token" "dns" {
  name = "terraform-run-dns"
  ttl  = "30m"

  policies = [
    {
      effect            = "allow"
      permission_groups = ["DNS Write", "Zone Read"]
      zone_ids          = ["023e105f4ecef8ad9ca31a8372d0c353"]
    },
  ]
}

provider "cfiam" {
  alias     = "dns_run"
  api_token = ephemeral.cfiam_api_token.dns.value
}
