# An account-owned token: it belongs to the account, not to whoever created
# it. It takes account permission groups on its own account and zone
# permission groups on the account's zones; user permission groups are not
# available. account_id defaults to the provider's.
resource "cfiam_account_token" "tunnel_reader" {
  name = "tunnel-reader"

  policies = [
    {
      effect            = "allow"
      permission_groups = ["Cloudflare Tunnel Read", "Account Settings Read"]
      account_ids       = ["f037e56e89293a057740de681ac9abbe"]
    },
    {
      effect            = "allow"
      permission_groups = ["Zone Read"]
      zone_ids          = ["023e105f4ecef8ad9ca31a8372d0c353"] # example.com
    },
    {
      effect               = "deny"
      permission_groups    = ["DNS Write"]
      all_zones_of_account = "f037e56e89293a057740de681ac9abbe"
    },
  ]
}
