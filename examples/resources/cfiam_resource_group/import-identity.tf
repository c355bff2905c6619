# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# "<account_id>/<resource_group_id>" string. account_id may be left out: the
# provider's account_id is the default.
import {
  to = cfiam_resource_group.web_zones
  identity = {
    account_id = "f037e56e89293a057740de681ac9abbe"
    id         = "<resource_group_id>"
  }
}
