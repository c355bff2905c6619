package emulator

import (
	"net/http"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// apiRoutes is the API's route table; patterns are relative to /client/v4.
// Each route names the catalog operation it performs: what a principal must
// be allowed to do (see authorize). /tokens/verify needs no operation: any
// valid token may verify itself.
func apiRoutes() []*apiRoute {
	const (
		get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	)
	verify := func(rt *apiRoute) *apiRoute { rt.verify = true; return rt }
	return []*apiRoute{
		route(get, "/accounts", catalog.OpAccountRead, listAccounts),
		route(get, "/accounts/{account_id}", catalog.OpAccountRead, getAccount),
		route(put, "/accounts/{account_id}", catalog.OpAccountWrite, updateAccount),

		route(get, "/user", catalog.OpUserRead, getUser),
		route(patch, "/user", catalog.OpUserWrite, editUser),

		route(get, "/zones", catalog.OpZonesRead, listZones),
		route(post, "/zones", catalog.OpZonesWrite, createZone),
		route(get, "/zones/{zone_id}", catalog.OpZonesRead, getZone),
		route(patch, "/zones/{zone_id}", catalog.OpZonesWrite, editZone),
		route(del, "/zones/{zone_id}", catalog.OpZonesWrite, deleteZone),

		route(get, "/accounts/{account_id}/members", catalog.OpMembersRead, listMembers),
		route(post, "/accounts/{account_id}/members", catalog.OpMembersWrite, createMember),
		route(get, "/accounts/{account_id}/members/{member_id}", catalog.OpMembersRead, getMember),
		route(put, "/accounts/{account_id}/members/{member_id}", catalog.OpMembersWrite, updateMember),
		route(del, "/accounts/{account_id}/members/{member_id}", catalog.OpMembersWrite, deleteMember),

		route(get, "/accounts/{account_id}/roles", catalog.OpRolesRead, listRoles),
		route(get, "/accounts/{account_id}/roles/{role_id}", catalog.OpRolesRead, getRole),

		route(get, "/accounts/{account_id}/iam/permission_groups", catalog.OpIAMRead, listIAMPermissionGroups),
		route(get, "/accounts/{account_id}/iam/permission_groups/{permission_group_id}", catalog.OpIAMRead, getIAMPermissionGroup),

		route(get, "/accounts/{account_id}/iam/resource_groups", catalog.OpResourceGroupsRead, listResourceGroups),
		route(post, "/accounts/{account_id}/iam/resource_groups", catalog.OpResourceGroupsWrite, createResourceGroup),
		route(get, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", catalog.OpResourceGroupsRead, getResourceGroup),
		route(put, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", catalog.OpResourceGroupsWrite, updateResourceGroup),
		route(del, "/accounts/{account_id}/iam/resource_groups/{resource_group_id}", catalog.OpResourceGroupsWrite, deleteResourceGroup),

		route(get, "/accounts/{account_id}/iam/user_groups", catalog.OpMembersRead, listUserGroups),
		route(post, "/accounts/{account_id}/iam/user_groups", catalog.OpMembersWrite, createUserGroup),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}", catalog.OpMembersRead, getUserGroup),
		route(put, "/accounts/{account_id}/iam/user_groups/{user_group_id}", catalog.OpMembersWrite, updateUserGroup),
		route(del, "/accounts/{account_id}/iam/user_groups/{user_group_id}", catalog.OpMembersWrite, deleteUserGroup),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", catalog.OpMembersRead, listUserGroupMembers),
		route(post, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", catalog.OpMembersWrite, addUserGroupMembers),
		route(put, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members", catalog.OpMembersWrite, replaceUserGroupMembers),
		route(get, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members/{member_id}", catalog.OpMembersRead, getUserGroupMember),
		route(del, "/accounts/{account_id}/iam/user_groups/{user_group_id}/members/{member_id}", catalog.OpMembersWrite, removeUserGroupMember),

		route(get, "/user/tokens/permission_groups", catalog.OpTokensRead, listUserTokenPermissionGroups),
		route(get, "/accounts/{account_id}/tokens/permission_groups", catalog.OpAccountTokensRead, listAccountTokenPermissionGroups),

		route(get, "/user/tokens", catalog.OpTokensRead, listTokens),
		route(post, "/user/tokens", catalog.OpTokensWrite, createToken),
		verify(route(get, "/user/tokens/verify", "", verifyToken)),
		route(get, "/user/tokens/{token_id}", catalog.OpTokensRead, getToken),
		route(put, "/user/tokens/{token_id}", catalog.OpTokensWrite, updateToken),
		route(del, "/user/tokens/{token_id}", catalog.OpTokensWrite, deleteToken),
		route(put, "/user/tokens/{token_id}/value", catalog.OpTokensWrite, rollToken),

		route(get, "/accounts/{account_id}/tokens", catalog.OpAccountTokensRead, listTokens),
		route(post, "/accounts/{account_id}/tokens", catalog.OpAccountTokensWrite, createToken),
		verify(route(get, "/accounts/{account_id}/tokens/verify", "", verifyToken)),
		route(get, "/accounts/{account_id}/tokens/{token_id}", catalog.OpAccountTokensRead, getToken),
		route(put, "/accounts/{account_id}/tokens/{token_id}", catalog.OpAccountTokensWrite, updateToken),
		route(del, "/accounts/{account_id}/tokens/{token_id}", catalog.OpAccountTokensWrite, deleteToken),
		route(put, "/accounts/{account_id}/tokens/{token_id}/value", catalog.OpAccountTokensWrite, rollToken),

		route(get, "/accounts/{account_id}/cfd_tunnel", catalog.OpTunnelsRead, listTunnels),
		route(post, "/accounts/{account_id}/cfd_tunnel", catalog.OpTunnelsWrite, createTunnel),
		route(get, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", catalog.OpTunnelsRead, getTunnel),
		route(patch, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", catalog.OpTunnelsWrite, editTunnel),
		route(del, "/accounts/{account_id}/cfd_tunnel/{tunnel_id}", catalog.OpTunnelsWrite, deleteTunnel),

		route(get, "/accounts/{account_id}/warp_connector", catalog.OpMeshNodesRead, listMeshNodes),
		route(get, "/accounts/{account_id}/warp_connector/{tunnel_id}", catalog.OpMeshNodesRead, getMeshNode),

		route(get, "/accounts/{account_id}/teamnet/routes", catalog.OpRoutesRead, listRoutes),
		route(post, "/accounts/{account_id}/teamnet/routes", catalog.OpRoutesWrite, createRoute),
		route(get, "/accounts/{account_id}/teamnet/routes/{route_id}", catalog.OpRoutesRead, getRoute),
		route(patch, "/accounts/{account_id}/teamnet/routes/{route_id}", catalog.OpRoutesWrite, editRoute),
		route(del, "/accounts/{account_id}/teamnet/routes/{route_id}", catalog.OpRoutesWrite, deleteRoute),
		route(get, "/accounts/{account_id}/teamnet/routes/ip/{ip}", catalog.OpRoutesRead, getRouteByIP),
		route(post, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", catalog.OpRoutesWrite, createRouteByNetwork),
		route(patch, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", catalog.OpRoutesWrite, editRouteByNetwork),
		route(del, "/accounts/{account_id}/teamnet/routes/network/{ip_network_encoded}", catalog.OpRoutesWrite, deleteRouteByNetwork),
	}
}
