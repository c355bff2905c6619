# What the provider's credentials may read. With a member's own token, only
# what that member's roles reach: the access applications named in its policies.
data "cfiam_access_applications" "all" {}

output "access_applications" {
  value = { for o in data.cfiam_access_applications.all.access_applications : o.name => o.id }
}
