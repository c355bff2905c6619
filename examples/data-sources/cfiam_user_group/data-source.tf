data "cfiam_user_group" "platform" {
  name = "platform-admins"
}

# Who is in the group, and what each of its policies grants.
output "platform_members" {
  value = [for m in data.cfiam_user_group.platform.members : m.email]
}

output "platform_roles" {
  value = flatten([for p in data.cfiam_user_group.platform.policies : [for r in p.roles : "${p.access} ${r.name} (${p.scope})"]])
}
