# By <account_id>/<group_id>, or by <account_id>/<name> when the name is the account's only group of that name.
terraform import cfiam_user_group.dns_admins f037e56e89293a057740de681ac9abbe/dns-admins
