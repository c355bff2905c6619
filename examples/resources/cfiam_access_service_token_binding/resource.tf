# Let one member administer the token-a Access service token only, without any account role
# that covers every one of them (such as Cloudflare Access). The member itself
# may be managed elsewhere (another workspace, or the dashboard); the binding
# adds its own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_access_service_token_binding" "alice_token_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Access Service Token Admin"]
  # In practice: an id from data.cfiam_access_service_tokens
  access_service_token_ids = ["369a74bf-024a-47ca-99c8-c026aec17e78"]
}
