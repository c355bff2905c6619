# Let one member administer the reusable Access policy policy-a only, without any account role
# that covers every one of them (such as Cloudflare Access). The member itself
# may be managed elsewhere (another workspace, or the dashboard); the binding
# adds its own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_access_policy_binding" "alice_policy_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Access Policy Admin"]
  # In practice: an id from data.cfiam_access_policies
  access_policy_ids = ["5b94410f-0f2a-4163-a2eb-fd25adb9c250"]
}
