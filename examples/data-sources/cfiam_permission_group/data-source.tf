# "Logs Read" exists at account and at zone scope: `scope` picks one.
data "cfiam_permission_group" "zone_logs_read" {
  name  = "Logs Read"
  scope = "zone"
}

# A name that exists in one scope only needs no `scope`.
data "cfiam_permission_group" "dns_write" {
  name = "DNS Write"
}

output "dns_write_id" {
  value = data.cfiam_permission_group.dns_write.id
}
