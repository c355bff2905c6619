# By <account_id>/<token_id>:
terraform import cfiam_account_token.tunnel_reader f037e56e89293a057740de681ac9abbe/<token_id>

# Or by <token_id> alone, in the provider's account_id (or CLOUDFLARE_ACCOUNT_ID):
terraform import cfiam_account_token.tunnel_reader <token_id>
