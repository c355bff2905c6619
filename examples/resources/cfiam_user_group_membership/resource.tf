# An application team adds its own people to a group the platform team owns,
# without touching the group's other members.
data "cfiam_account_member" "bob" {
  email = "bob@example.com"
}

resource "cfiam_user_group_membership" "bob" {
  user_group_id = "2b9a6d1c0e4f4a8b9c7d6e5f4a3b2c1d" # the platform team's group
  member_id     = data.cfiam_account_member.bob.id
}
