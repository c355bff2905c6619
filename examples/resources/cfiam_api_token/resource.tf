# A user-owned token for a DNS pipeline: zone permission groups on the zones
# it manages, an account permission group on the account, and the user
# permission group that lets it read its own details. Each permission group
# is checked against its policy's kind at `terraform validate`.
resource "cfiam_api_token" "dns_ci" {
  name = "dns-ci"

  policies = [
    {
      effect            = "allow"
      permission_groups = ["DNS Write", "Zone Read"]
      zone_ids          = ["023e105f4ecef8ad9ca31a8372d0c353"] # example.com
    },
    {
      effect            = "allow"
      permission_groups = ["Account Settings Read"]
      account_ids       = ["f037e56e89293a057740de681ac9abbe"]
    },
    {
      effect = "allow"
      # Logs Read exists at account and zone scope: on all zones, it is the zone one.
      permission_groups    = ["Logs Read"]
      all_zones_of_account = "f037e56e89293a057740de681ac9abbe"
    },
    {
      effect            = "allow"
      permission_groups = ["API Tokens Read"]
      user              = true
    },
  ]

  expires_on = "2030-01-01T00:00:00Z"
  condition = {
    request_ip = {
      in = ["192.0.2.0/24", "2001:db8::/32"]
    }
  }

  # Any change here rolls the token's value in place (same ID, same policies).
  rotate_when_changed = {
    rotation = "2025-q1"
  }
}

output "dns_ci_token" {
  value     = cfiam_api_token.dns_ci.value
  sensitive = true
}
