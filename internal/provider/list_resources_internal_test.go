package provider

import (
	"slices"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

func TestListedMembers(t *testing.T) {
	t.Parallel()
	member := func(id, email, status string) cfclient.Member {
		m := cfclient.Member{ID: id, Status: status}
		m.User.Email = email
		return m
	}
	all := []cfclient.Member{
		member("4", "zoe@example.com", "accepted"),
		member("1", "Ann@Example.com", "pending"),
		member("3", "declined@example.com", "rejected"),
		member("2", "bob@example.com", "accepted"),
	}
	ids := func(ms []cfclient.Member) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	for _, tc := range []struct {
		email, status string
		want          []string
	}{
		{"", "", []string{"1", "2", "4"}}, // by e-mail, without the declined invitation
		{"ann@example.com", "", []string{"1"}},
		{"", "accepted", []string{"2", "4"}},
		{"ann@example.com", "accepted", nil},
		{"declined@example.com", "", nil},
	} {
		if got := ids(listedMembers(all, tc.email, tc.status)); !slices.Equal(got, tc.want) {
			t.Errorf("listedMembers(email %q, status %q) = %v, want %v", tc.email, tc.status, got, tc.want)
		}
	}
	if all[0].ID != "4" || len(all) != 4 {
		t.Errorf("listedMembers changed its input: %v", ids(all))
	}
}
