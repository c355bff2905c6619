# What the provider's credentials may read. With a member's own token, only
# what that member's roles reach: the access service tokens named in its policies.
data "cfiam_access_service_tokens" "all" {}

output "access_service_tokens" {
  value = { for o in data.cfiam_access_service_tokens.all.access_service_tokens : o.name => o.id }
}
