# Import with a block instead of the command; `terraform plan
# -generate-config-out=members.tf` writes the resource block for you.
import {
  to = cfiam_account_member.alice
  id = "f037e56e89293a057740de681ac9abbe/alice@example.com"
}
