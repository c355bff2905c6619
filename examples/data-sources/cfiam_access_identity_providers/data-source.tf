# What the provider's credentials may read. With a member's own token, only
# what that member's roles reach: the access identity providers named in its policies.
data "cfiam_access_identity_providers" "all" {}

output "access_identity_providers" {
  value = { for o in data.cfiam_access_identity_providers.all.access_identity_providers : o.name => o.id }
}
