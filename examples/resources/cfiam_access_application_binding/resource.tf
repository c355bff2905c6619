# Let one member administer the app-a Access application only, without any account role
# that covers every one of them (such as Cloudflare Access). The member itself
# may be managed elsewhere (another workspace, or the dashboard); the binding
# adds its own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_access_application_binding" "alice_app_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Access App Admin"]
  # In practice: an id from data.cfiam_access_applications
  access_application_ids = ["64949abf-2738-491b-bd96-c0e80945fb37"]
}
