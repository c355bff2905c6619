# What the provider's credentials may read. With a member's own token, only
# what that member's roles reach: the access policies named in its policies.
data "cfiam_access_policies" "all" {}

output "access_policies" {
  value = { for o in data.cfiam_access_policies.all.access_policies : o.name => o.id }
}
