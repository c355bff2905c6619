resource "cfiam_user_group" "platform" {
  name     = "platform-admins"
  policies = [{ access = "allow", roles = ["Administrator"] }]
}

resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}

# Exactly these members, no others: members added outside Terraform are removed on apply.
# Do not also use cfiam_user_group_membership on this group.
resource "cfiam_user_group_members" "platform" {
  user_group_id = cfiam_user_group.platform.id
  member_ids    = [cfiam_account_member.alice.id]
}
