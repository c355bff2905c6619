# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# "<account_id>/<group_id>" string. account_id may be left out: the
# provider's account_id is the default.
import {
  to = cfiam_user_group_members.platform
  identity = {
    account_id    = "f037e56e89293a057740de681ac9abbe"
    user_group_id = "<group_id>"
  }
}
