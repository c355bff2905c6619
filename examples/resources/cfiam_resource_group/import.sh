# By <account_id>/<resource_group_id>:
terraform import cfiam_resource_group.example f037e56e89293a057740de681ac9abbe/<resource_group_id>

# Or by <resource_group_id> alone, in the provider's account_id (or CLOUDFLARE_ACCOUNT_ID):
terraform import cfiam_resource_group.example <resource_group_id>
