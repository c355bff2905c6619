# The scopes a permission group exists in, from the catalog built into the
# provider (no credentials needed): ["account", "zone"] for Logs Read.
output "logs_read_scopes" {
  value = provider::cfiam::permission_group_scopes("Logs Read")
}

# For example, to fail early when a group cannot go on zones:
locals {
  zone_groups = ["DNS Write", "Zone Read"]
}

check "zone_groups" {
  assert {
    condition     = alltrue([for g in local.zone_groups : contains(provider::cfiam::permission_group_scopes(g), "zone")])
    error_message = "Every group in local.zone_groups must be a zone permission group."
  }
}
