# What alice can reach, and why: every Tunnel and zone with read or edit, and
# the grants behind each (account roles, Tunnel bindings, her own policies).
data "cfiam_effective_access" "alice" {
  email = "alice@example.com"
}

output "alice_tunnels" {
  value = {
    for t in data.cfiam_effective_access.alice.tunnels : t.name => "${t.access}: ${join("; ", t.grants)}"
  }
}

output "alice_account_roles" {
  value = data.cfiam_effective_access.alice.account_roles
}
