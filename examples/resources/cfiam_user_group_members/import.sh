# By <account_id>/<group_id>.
terraform import cfiam_user_group_members.platform f037e56e89293a057740de681ac9abbe/<group_id>
