# Every group whose name contains "admins", with its members' e-mail addresses.
data "cfiam_user_groups" "admins" {
  name_contains = "admins"
}

output "admin_groups" {
  value = { for g in data.cfiam_user_groups.admins.user_groups : g.name => [for m in g.members : m.email] }
}
