module github.com/cfiam/terraform-provider-cfiam

go 1.26.8
