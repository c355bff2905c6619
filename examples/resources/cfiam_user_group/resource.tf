# A group whose members administer DNS on two zones and read one Tunnel.
# Its policies take the shape and the checks of cfiam_account_member's.
resource "cfiam_user_group" "dns_admins" {
  name = "dns-admins"
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    {
      access = "allow"
      roles  = ["Domain DNS"]
      zone_ids = [
        "023e105f4ecef8ad9ca31a8372d0c353", # example.com
        "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c", # example.org
      ]
    },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = ["f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"] },
  ]
}
