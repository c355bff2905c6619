package emulator

import (
	"net/http"
)

// apiRoutes is the API's route table; patterns are relative to /client/v4.
// The operation each route performs, what a principal must be allowed to do
// (see authorize), is catalog.OperationOf's: the rule the provider names
// missing permissions with. /tokens/verify needs no operation: any valid
// token may verify itself.
func apiRoutes() []*apiRoute {
	const (
		get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	)
	verify := func(rt *apiRoute) *apiRoute { rt.verify = true; return rt }
	return append([]*apiRoute{
		route(get, "/accounts", listAccounts),
		route(get, "/accounts/{account_id}", getAccount),
		route(put, "/accounts/{account_id}", updateAccount),

		route(get, "/user", getUser),
		route(patch, "/user", editUser),

		route(get, "/zones", listZones),
		route(post, "/zones", createZone),
		route(get, "/zones/{zone_id}", getZone),
		route(patch, "/zones/{zone_id}", editZone),
		route(del, "/zones/{zone_id}", deleteZone),

		route(get, "/accounts/{account_id}/members", listMembers),
		route(post, "/accounts/{account_id}/members", createMember),
		route(get, "/accounts/{account_id}/members/{member_id}", getMember),
		route(put, "/accounts/{account_id}/members/{member_id}", updateMember),
		route(del, "/accounts/{account_id}/members/{member_id}", deleteMember),

		route(get, "/accounts/{account_id}/roles", listRoles),
		route(get, "/accounts/{account_id}/roles/{role_id}", getRole),

		route(get, "/accounts/{account_id}/iam/permission_groups", listIAMPermissionGroups),
		route(get, "/accounts/{account_id}/iam/permission_groups/{permission_group_id}", getIAMPermissionGroup),

		route(get, "/accounts/{account_id}/iam/resource_groups", listResourceGroups),
		route(post, "/accounts/{account_id}/iam/resource_groups", createResourceGroup),
		route(get, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", getResourceGroup),
		route(put, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", updateResourceGroup),
		route(del, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", deleteResourceGroup),

		route(get, "/accounts/{account_id}/iam/user_groups", listUserGroups),
		route(post, "/accounts/{account_id}/iam/user_groups", createUserGroup),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}", getUserGroup),
		route(put, "/accounts/{account_id}/iam/user_groups/{user_group_id}", updateUserGroup),
		route(del, "/accounts/{account_id}/iam/user_groups/{user_group_id}", deleteUserGroup),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", listUserGroupMembers),
		route(post, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", addUserGroupMembers),
		route(put, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", replaceUserGroupMembers),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members/{member_id}", getUserGroupMember),
		route(del, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members/{member_id}", removeUserGroupMember),

		route(get, "/user/tokens/permission_groups", listUserTokenPermissionGroups),
		route(get, "/accounts/{account_id}/tokens/permission_groups", listAccountTokenPermissionGroups),

		route(get, "/user/tokens", listTokens),
		route(post, "/user/tokens", createToken),
		verify(route(get, "/user/tokens/verify", verifyToken)),
		route(get, "/user/tokens/{token_id}", getToken),
		route(put, "/user/tokens/{token_id}", updateToken),
		route(del, "/user/tokens/{token_id}", deleteToken),
		route(put, "/user/tokens/{token_id}/value", rollToken),

		route(get, "/accounts/{account_id}/tokens", listTokens),
		route(post, "/accounts/{account_id}/tokens", createToken),
		verify(route(get, "/accounts/{account_id}/tokens/verify", verifyToken)),
		route(get, "/accounts/{account_id}/tokens/{token_id}", getToken),
		route(put, "/accounts/{account_id}/tokens/{token_id}", updateToken),
		route(del, "/accounts/{account_id}/tokens/{token_id}", deleteToken),
		route(put, "/accounts/{account_id}/tokens/{token_id}/value", rollToken),

		route(get, "/accounts/{account_id}/cfd_tunnel", listTunnels),
		route(post, "/accounts/{account_id}/cfd_tunnel", createTunnel),
		route(get, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", getTunnel),
		route(patch, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", editTunnel),
		route(del, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", deleteTunnel),

		route(get, "/accounts/{account_id}/warp_connector", listMeshNodes),
		route(get, "/accounts/{account_id}/warp_connector/{tunnel_id}", getMeshNode),

		route(get, "/accounts/{account_id}/teamnet/routes", listRoutes),
		route(post, "/accounts/{account_id}/teamnet/routes", createRoute),
		route(get, "/accounts/{account_id}/teamnet/routes/{route_id}", getRoute),
		route(patch, "/accounts/{account_id}/teamnet/routes/{route_id}", editRoute),
		route(del, "/accounts/{account_id}/teamnet/routes/{route_id}", deleteRoute),
		route(get, "/accounts/{account_id}/teamnet/routes/ip/{ip}", getRouteByIP),
		route(post, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", createRouteByNetwork),
		route(patch, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", editRouteByNetwork),
		route(del, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", deleteRouteByNetwork),
	}, accessRoutes()...)
}
