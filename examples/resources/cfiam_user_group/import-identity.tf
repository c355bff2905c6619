# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# "<account_id>/<group_id>" string (the identity takes the ID, not the name).
# account_id may be left out: the provider's account_id is the default.
import {
  to = cfiam_user_group.dns_admins
  identity = {
    account_id = "f037e56e89293a057740de681ac9abbe"
    id         = "<group_id>"
  }
}
