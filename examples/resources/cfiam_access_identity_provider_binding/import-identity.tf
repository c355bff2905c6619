# Terraform 1.12 or later, or OpenTofu 1.12: import by identity instead of the
# "<account_id>/<member_id>/<policy_id>" string. account_id may be left out:
# the provider's account_id is the default.
import {
  to = cfiam_access_identity_provider_binding.alice_idp_a
  identity = {
    account_id = "f037e56e89293a057740de681ac9abbe"
    member_id  = "<member_id>"
    policy_id  = "<policy_id>"
  }
}
