# By <account_id>/<member_id>:
terraform import cfiam_account_member.alice f037e56e89293a057740de681ac9abbe/<member_id>

# By <account_id>/<email> (case does not matter):
terraform import cfiam_account_member.alice f037e56e89293a057740de681ac9abbe/alice@example.com

# Either form without the account uses the provider's account_id (or CLOUDFLARE_ACCOUNT_ID):
terraform import cfiam_account_member.alice alice@example.com
