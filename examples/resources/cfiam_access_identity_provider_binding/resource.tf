# Let one member administer the idp-a identity provider only, without any account role
# that covers every one of them (such as Cloudflare Access). The member itself
# may be managed elsewhere (another workspace, or the dashboard); the binding
# adds its own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_access_identity_provider_binding" "alice_idp_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Access Identity Provider Admin"]
  # In practice: an id from data.cfiam_access_identity_providers
  access_identity_provider_ids = ["0e4727e0-d449-4719-a649-691d630f17a6"]
}
