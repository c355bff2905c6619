# What the provider's credentials may read. With a member's own token, only
# what that member's roles reach: the infrastructure targets named in its policies.
data "cfiam_infrastructure_targets" "all" {}

output "infrastructure_targets" {
  value = { for o in data.cfiam_infrastructure_targets.all.infrastructure_targets : o.name => o.id }
}
