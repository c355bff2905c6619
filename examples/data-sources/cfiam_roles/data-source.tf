# Every domain-scoped role: the roles a member policy on zone_ids may hold.
data "cfiam_roles" "domain" {
  scope = "zone"
}

output "domain_role_names" {
  value = [for r in data.cfiam_roles.domain.roles : r.name]
}
