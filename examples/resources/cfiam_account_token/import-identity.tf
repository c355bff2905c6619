# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# "<account_id>/<token_id>" string. account_id may be left out: the
# provider's account_id is the default.
import {
  to = cfiam_account_token.tunnel_reader
  identity = {
    account_id = "f037e56e89293a057740de681ac9abbe"
    id         = "<token_id>"
  }
}
