# Let one member administer the host-a infrastructure target only, without any account role
# that covers every one of them (such as Cloudflare Access). The member itself
# may be managed elsewhere (another workspace, or the dashboard); the binding
# adds its own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_infrastructure_target_binding" "alice_host_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Access for Infrastructure Target Admin"]
  # In practice: an id from data.cfiam_infrastructure_targets
  infrastructure_target_ids = ["2373ca74-7824-49f4-99ae-7d5929c0e886"]
}
