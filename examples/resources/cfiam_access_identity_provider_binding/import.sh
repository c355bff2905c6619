# By <account_id>/<member_id>/<policy_id>. The policy ID is listed by the
# cfiam_account_member data source (policies with binding = true).
terraform import cfiam_access_identity_provider_binding.example f037e56e89293a057740de681ac9abbe/<member_id>/<policy_id>
