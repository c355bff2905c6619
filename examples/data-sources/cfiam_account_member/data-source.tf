# A member by e-mail address, in the provider's account.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

# A member by membership ID, in a given account: the emulator's seeded admin.
data "cfiam_account_member" "admin" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  id         = "4536bcfad5faccb111b47003c79917fa"
}

# Every role Alice is allowed, by name, with where it applies.
output "alice_roles" {
  value = flatten([
    for p in data.cfiam_account_member.alice.policies : [
      for r in p.roles : {
        role    = r.name
        scope   = p.scope
        zones   = p.zone_ids
        tunnels = p.tunnel_ids
      }
    ] if p.access == "allow"
  ])
}

# The ID to import the member with: terraform import cfiam_account_member.x <account_id>/<id>
output "admin_import_id" {
  value = "${data.cfiam_account_member.admin.account_id}/${data.cfiam_account_member.admin.id}"
}
