# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# token ID string. A user token belongs to no account: its identity is its ID.
import {
  to = cfiam_api_token.dns_ci
  identity = {
    id = "<token_id>"
  }
}
