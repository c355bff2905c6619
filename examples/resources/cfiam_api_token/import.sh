# By token ID. The value cannot be read back: it stays empty until the next roll.
terraform import cfiam_api_token.dns_ci <token_id>
