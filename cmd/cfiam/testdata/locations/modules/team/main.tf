variable "account_id" {
  type    = string
  default = "f037e56e89293a057740de681ac9abbe"
}

# Line 7: count instances of one block.
resource "cfiam_account_member" "lead" {
  count      = 1
  account_id = var.account_id
  email      = "lead@example.com"
  status     = "accepted"
  policies = [{
    access = "allow"
    roles  = ["Administrator"]
  }]
}
