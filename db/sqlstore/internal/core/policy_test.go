package core

import (
	"fmt"
	"slices"
	"testing"

	"gloss/db"
)

// TestPolicySQLIsStable: a viewer's conditions come out the same, text
// and arguments, every time (the viewer's groups are a map), with the
// groups in ascending order.
func TestPolicySQLIsStable(t *testing.T) {
	v := db.Viewer{UserID: 7, Roles: map[int64]db.Role{}}
	for _, id := range []int64{41, 3, 29, 17, 5, 11, 23} {
		v.Roles[id] = db.RoleMember
	}
	v.Roles[29], v.Roles[5] = db.RoleOwner, db.RoleOwner
	for name, sql := range map[string]func(db.Viewer, string) (string, []any){
		"VisibleSQL": VisibleSQL, "NotHiddenSQL": NotHiddenSQL, "CollectionsVisibleSQL": CollectionsVisibleSQL, "ReadableSQL": ReadableSQL,
	} {
		cond, args := sql(v, "a")
		for range 20 {
			again, againArgs := sql(v, "a")
			if again != cond || fmt.Sprint(againArgs) != fmt.Sprint(args) {
				t.Fatalf("%s: %v, then %v", name, args, againArgs)
			}
		}
	}
	if _, args := VisibleSQL(v, "a"); fmt.Sprint(args) != "[7 3 5 11 17 23 29 41]" {
		t.Errorf("VisibleSQL's arguments %v, want the viewer, then the groups in order", args)
	}
	if got := GroupsOf(v, func(r db.Role) bool { return r == db.RoleOwner }); !slices.Equal(got, []int64{5, 29}) {
		t.Errorf("owned groups %v", got)
	}
}
