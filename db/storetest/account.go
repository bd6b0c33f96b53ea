package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/password"
)

func mustUser(tb testing.TB, d Engine, email, name string, admin bool) db.User {
	tb.Helper()
	u, err := d.CreateUser(context.Background(), db.NewUser{Email: email, Name: name, Password: "a long enough password", Admin: admin})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	ada := mustUser(t, d, "Ada@Example.org", "Ada", true)
	t.Run("EmailLowercased", func(t *testing.T) {
		if ada.Email != "ada@example.org" || !ada.Admin {
			t.Errorf("got %+v", ada)
		}
	})
	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		_, err := d.CreateUser(ctx, db.NewUser{Email: "ADA@example.org", Name: "Other", Password: "another long password"})
		if db.ErrorCode(err) != db.ECONFLICT {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, in := range map[string]db.NewUser{
			"empty email":    {Email: "", Name: "x", Password: "long enough pw"},
			"bad email":      {Email: "not-an-email", Name: "x", Password: "long enough pw"},
			"display email":  {Email: "Ada <a@b.org>", Name: "x", Password: "long enough pw"},
			"empty name":     {Email: "x@example.org", Name: "  ", Password: "long enough pw"},
			"long name":      {Email: "x@example.org", Name: string(make([]rune, 81)), Password: "long enough pw"},
			"control char":   {Email: "x@example.org", Name: "a\x00b", Password: "long enough pw"},
			"invalid utf8":   {Email: "x@example.org", Name: "a\xffb", Password: "long enough pw"},
			"short password": {Email: "x@example.org", Name: "x", Password: "short"},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := d.CreateUser(ctx, in); db.ErrorCode(err) != db.EINVALID {
					t.Fatalf("err = %v", err)
				}
			})
		}
		if users, _ := d.Users(ctx); len(users) != 1 {
			t.Errorf("%d users after invalid input, want 1", len(users))
		}
	})
	t.Run("Authenticate", func(t *testing.T) {
		if u, err := d.Authenticate(ctx, " ADA@example.org ", "a long enough password"); err != nil || u.ID != ada.ID {
			t.Errorf("right password: %+v, %v", u, err)
		}
		_, wrong := d.Authenticate(ctx, "ada@example.org", "wrong password!!")
		_, unknown := d.Authenticate(ctx, "nobody@example.org", "wrong password!!")
		if db.ErrorCode(wrong) != db.EUNAUTHORIZED || db.ErrorMessage(wrong) != db.ErrorMessage(unknown) {
			t.Errorf("wrong password %v and unknown email %v must fail alike", wrong, unknown)
		}
	})
	t.Run("ChangePasswordSignsOutOthers", func(t *testing.T) {
		u := mustUser(t, d, "grace@example.org", "Grace", false)
		keep, _ := d.CreateUserSession(ctx, u.ID, "browser A", "127.0.0.1")
		other, _ := d.CreateUserSession(ctx, u.ID, "browser B", "127.0.0.2")
		if _, err := d.ChangePassword(ctx, u.ID, "wrong current", "a new long password", keep, false); db.ErrorCode(err) != db.EINVALID {
			t.Fatalf("wrong current password: %v", err)
		}
		if _, err := d.ChangePassword(ctx, u.ID, "a long enough password", "a new long password", keep, false); err != nil {
			t.Fatal(err)
		}
		if _, err := d.UserBySession(ctx, u.ID, keep); err != nil {
			t.Errorf("the changing session was signed out: %v", err)
		}
		if _, err := d.UserBySession(ctx, u.ID, other); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("the other session survived: %v", err)
		}
		if _, err := d.Authenticate(ctx, "grace@example.org", "a new long password"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
	})
}

// TestAuthenticateRehashes checks that a sign-in replaces a hash made with
// weaker costs than password.Default, and leaves a current one alone.
func TestAuthenticateRehashes(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	u := mustUser(t, d, "ada@example.org", "Ada", false)
	const pw = "a long enough password"
	set := func(hash string) {
		t.Helper()
		if err := d.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(hash string) bool {
		t.Helper()
		return QueryInt(t, d, `SELECT count(*) FROM users WHERE id = ? AND password_hash = ?`, u.ID, hash) == 1
	}
	current, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	set(current)
	if _, err := d.Authenticate(ctx, u.Email, pw); err != nil {
		t.Fatal(err)
	}
	if !stored(current) {
		t.Error("a current hash was replaced at sign-in")
	}

	// The same password hashed with one pass (argon2id, 8 KiB, 16-byte salt).
	weak := "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$V5ghpxzzJNFbeg6FWhhKRePBFzGIMAu7fosG4jjHA8s"
	if ok, err := password.Check(pw, weak); !ok || err != nil || !password.NeedsRehash(weak) {
		t.Fatalf("the weak fixture does not check, or needs no rehash: %v, %v", ok, err)
	}
	set(weak)
	if _, err := d.Authenticate(ctx, u.Email, "wrong password!!"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if !stored(weak) {
		t.Error("a failed sign-in rehashed")
	}
	if _, err := d.Authenticate(ctx, u.Email, pw); err != nil {
		t.Fatal(err)
	}
	if stored(weak) {
		t.Fatal("the weak hash is still stored after sign-in")
	}
	// The new hash has Default's costs and lengths: all of a fresh hash
	// but its salt and key, and as long.
	costs := current[:strings.LastIndex(current[:strings.LastIndex(current, "$")], "$")+1]
	if n := QueryInt(t, d, `SELECT count(*) FROM users WHERE id = ? AND password_hash LIKE ? AND length(password_hash) = ?`, u.ID, costs+"%", len(current)); n != 1 {
		t.Errorf("after sign-in the hash is not one of %q and %d bytes", costs, len(current))
	}
	if _, err := d.Authenticate(ctx, u.Email, pw); err != nil {
		t.Errorf("sign-in after the rehash: %v", err)
	}
}

// TestViewerFor checks that a viewer carries the user's roles, and that a
// failure to read them is an error, never a viewer without groups.
func TestViewerFor(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	ada := mustUser(t, d, "ada@example.org", "Ada", true)
	g, err := d.CreateGroup(ctx, ada.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.ViewerFor(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	if v.UserID != ada.ID || v.Name != "Ada" || v.Email != "ada@example.org" || !v.Admin || len(v.Roles) != 1 || v.RoleIn(g.ID) != db.RoleOwner {
		t.Errorf("ViewerFor = %+v, want Ada, an administrator owning group %d", v, g.ID)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if v, err := d.ViewerFor(cancelled, ada); err == nil || v.SignedIn() {
		t.Errorf("ViewerFor with its roles unreadable = %+v, %v; want an error and no viewer", v, err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	u := mustUser(t, d, "a@example.org", "A", false)
	other := mustUser(t, d, "b@example.org", "B", false)
	sid, err := d.CreateUserSession(ctx, u.ID, "Firefox", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.UserBySession(ctx, other.ID, sid); db.ErrorCode(err) != db.EUNAUTHORIZED {
		t.Error("a session id must only work for its own user")
	}
	list, err := d.UserSessions(ctx, u.ID)
	if err != nil || len(list) != 1 || list[0].UserAgent != "Firefox" {
		t.Fatalf("sessions %+v, %v", list, err)
	}
	if err := d.RevokeUserSession(ctx, other.ID, list[0].ID); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("revoking someone else's session: %v", err)
	}
	if err := d.RevokeUserSession(ctx, u.ID, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.UserBySession(ctx, u.ID, sid); db.ErrorCode(err) != db.EUNAUTHORIZED {
		t.Errorf("revoked session still works: %v", err)
	}
}

func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	u := mustUser(t, d, "a@example.org", "A", false)
	raw, tok, err := d.CreateAPIToken(ctx, u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	if stored := QueryInt(t, d, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`, raw); stored != 0 {
		t.Errorf("the raw token is stored (%d)", stored)
	}
	if got, err := d.UserByAPIToken(ctx, raw); err != nil || got.ID != u.ID {
		t.Fatalf("token auth: %+v, %v", got, err)
	}
	if _, err := d.UserByAPIToken(ctx, raw+"x"); db.ErrorCode(err) != db.EUNAUTHORIZED {
		t.Errorf("altered token: %v", err)
	}
	if list, _ := d.APITokens(ctx, u.ID); len(list) != 1 || list[0].LastUsedAt.IsZero() {
		t.Errorf("token list %+v: want one, marked used", list)
	}
	if err := d.RevokeAPIToken(ctx, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.UserByAPIToken(ctx, raw); db.ErrorCode(err) != db.EUNAUTHORIZED {
		t.Errorf("revoked token works: %v", err)
	}
	if _, _, err := d.CreateAPIToken(ctx, u.ID, ""); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("unnamed token: %v", err)
	}
}

func TestGroups(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	owner := mustUser(t, d, "o@example.org", "Owner", false)
	member := mustUser(t, d, "m@example.org", "Member", false)
	g, err := d.CreateGroup(ctx, owner.ID, "Refugee studies", "Spring seminar")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("CreatorIsOwner", func(t *testing.T) {
		roles, _ := d.Memberships(ctx, owner.ID)
		if roles[g.ID] != db.RoleOwner {
			t.Errorf("roles %v", roles)
		}
	})
	t.Run("ErrName", func(t *testing.T) {
		if _, err := d.CreateGroup(ctx, owner.ID, "", ""); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("KeepsAnOwner", func(t *testing.T) {
		if err := d.RemoveMember(ctx, g.ID, owner.ID); db.ErrorCode(err) != db.ECONFLICT {
			t.Errorf("last owner left: %v", err)
		}
		if err := d.SetMemberRole(ctx, g.ID, owner.ID, db.RoleViewer); db.ErrorCode(err) != db.ECONFLICT {
			t.Errorf("last owner demoted: %v", err)
		}
	})
	t.Run("ErrUnknownRole", func(t *testing.T) {
		if _, err := db.ParseRole("superuser"); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("Invite", func(t *testing.T) {
		token, _, err := d.CreateInvite(ctx, db.NewInvite{GroupID: g.ID, Role: db.RoleViewer, CreatedBy: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		joined, err := d.AcceptGroupInvite(ctx, token, member.ID)
		if err != nil || joined.ID != g.ID || joined.Members != 2 {
			t.Fatalf("joined %+v, %v", joined, err)
		}
		roles, _ := d.Memberships(ctx, member.ID)
		if roles[g.ID] != db.RoleViewer {
			t.Errorf("joined as %q, want viewer", roles[g.ID])
		}
		third := mustUser(t, d, "t@example.org", "Third", false)
		if _, err := d.AcceptGroupInvite(ctx, token, third.ID); db.ErrorCode(err) != db.EGONE {
			t.Errorf("second use of a one-use invite: %v", err)
		}
		members, _ := d.GroupMembers(ctx, g.ID)
		if len(members) != 2 || members[0].Role != db.RoleOwner {
			t.Errorf("members %+v", members)
		}
		if err := d.SetMemberRole(ctx, g.ID, member.ID, db.RoleOwner); err != nil {
			t.Fatal(err)
		}
		if err := d.RemoveMember(ctx, g.ID, owner.ID); err != nil {
			t.Errorf("an owner may leave when another owner stays: %v", err)
		}
	})
}

func TestInvites(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	admin := mustUser(t, d, "admin@example.org", "Admin", true)
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	d.SetClock(func() time.Time { return clock })
	newcomer := db.NewUser{Email: "new@example.org", Name: "New", Password: "a long enough password"}

	t.Run("WorksOnce", func(t *testing.T) {
		token, _, err := d.CreateInvite(ctx, db.NewInvite{CreatedBy: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		u, err := d.AcceptAccountInvite(ctx, token, newcomer)
		if err != nil || u.Admin {
			t.Fatalf("accept: %+v, %v", u, err)
		}
		again := newcomer
		again.Email = "again@example.org"
		if _, err := d.AcceptAccountInvite(ctx, token, again); db.ErrorCode(err) != db.EGONE {
			t.Errorf("second use: %v", err)
		}
	})
	t.Run("Expires", func(t *testing.T) {
		token, inv, err := d.CreateInvite(ctx, db.NewInvite{CreatedBy: admin.ID, ExpiresIn: 2 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		clock = inv.ExpiresAt
		defer func() { clock = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }()
		late := newcomer
		late.Email = "late@example.org"
		if _, err := d.AcceptAccountInvite(ctx, token, late); db.ErrorCode(err) != db.EGONE {
			t.Errorf("expired invite: %v", err)
		}
		if _, err := d.UserByEmail(ctx, "late@example.org"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Error("an expired invite created an account")
		}
	})
	t.Run("BoundToEmail", func(t *testing.T) {
		token, _, err := d.CreateInvite(ctx, db.NewInvite{CreatedBy: admin.ID, Email: "named@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		wrong := newcomer
		wrong.Email = "someone-else@example.org"
		if _, err := d.AcceptAccountInvite(ctx, token, wrong); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("wrong address: %v", err)
		}
		right := newcomer
		right.Email = "Named@example.org"
		if _, err := d.AcceptAccountInvite(ctx, token, right); err != nil {
			t.Errorf("named address: %v", err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		if _, err := d.InviteByToken(ctx, "inv_nope"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrLimits", func(t *testing.T) {
		if _, _, err := d.CreateInvite(ctx, db.NewInvite{CreatedBy: admin.ID, MaxUses: 501}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("501 uses: %v", err)
		}
		if _, _, err := d.CreateInvite(ctx, db.NewInvite{CreatedBy: admin.ID, Role: "king"}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("unknown role: %v", err)
		}
	})
}
