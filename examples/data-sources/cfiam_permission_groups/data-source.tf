# Every user permission group: the groups a token policy with `user = true` may hold.
data "cfiam_permission_groups" "user" {
  scope = "user"
}

output "user_permission_groups" {
  value = { for g in data.cfiam_permission_groups.user.permission_groups : g.name => g.id }
}
