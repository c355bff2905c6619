# Every member of the provider's account.
data "cfiam_account_members" "all" {}

# Only the invitations nobody has accepted yet.
data "cfiam_account_members" "pending" {
  status = "pending"
}

output "pending_invitations" {
  value = data.cfiam_account_members.pending.members[*].email
}

# Who holds Super Administrator.
output "super_administrators" {
  value = [
    for m in data.cfiam_account_members.all.members : m.email
    if anytrue([
      for p in m.policies : p.access == "allow" && contains([for r in p.roles : r.name], "Super Administrator - All Privileges")
    ])
  ]
}

# Who holds a resource-scoped role on the app-a Tunnel, directly or through a
# cfiam_tunnel_binding (binding = true).
output "app_a_tunnel_members" {
  value = distinct([
    for pair in flatten([
      for m in data.cfiam_account_members.all.members : [
        for p in m.policies : m.email
        if p.access == "allow" && contains(p.tunnel_ids, "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415")
      ]
    ]) : pair
  ])
}
