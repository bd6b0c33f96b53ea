// Package groups serves groups: making them, their page, their members and
// roles, and the invitations their managers make (and email). A group's
// codebook is handlers/tags; its activity and notifications stay with the
// live pages in handlers.
package groups

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Store is what the groups' pages ask of the store.
type Store interface {
	db.Groups
	db.Invites
	db.Mail // invitations emailed
}

// Server holds what the groups' pages use.
type Server struct {
	db   Store
	site web.Site
	// mailEnabled: invitations may be emailed (-smtp-url).
	mailEnabled bool
}

// New makes the groups' handlers over store.
func New(store Store, site web.Site, mailEnabled bool) *Server {
	return &Server{db: store, site: site, mailEnabled: mailEnabled}
}

// Routes registers the groups' pages, members and invitations.
func (s *Server) Routes(e *echo.Echo) {
	e.GET("/groups", s.groups)
	e.POST("/groups", s.createGroup)
	e.GET("/groups/:id", s.group)
	e.POST("/groups/:id/invites", s.createGroupInvite)
	e.POST("/groups/:id/invites/:invite/revoke", s.revokeGroupInvite)
	e.POST("/groups/:id/members/:user/role", s.setMemberRole)
	e.POST("/groups/:id/members/:user/remove", s.removeMember)
	e.POST("/groups/:id/leave", s.leaveGroup)
}

func (s *Server) renderGroups(c echo.Context, status int, f views.Form) error {
	v := web.Viewer(c.Request())
	groups, err := s.db.GroupsOf(c.Request().Context(), v.UserID)
	if err != nil {
		return err
	}
	m := views.GroupsPage{Form: f}
	for _, g := range groups {
		m.Groups = append(m.Groups, views.GroupRow{ID: g.ID, Name: g.Name, Description: g.Description, Role: string(g.Role), Members: g.Members})
	}
	return web.Render(c, status, views.Groups(m))
}

func (s *Server) groups(c echo.Context) error {
	if err := web.Viewer(c.Request()).RequireSignIn(); err != nil {
		return err
	}
	return s.renderGroups(c, http.StatusOK, web.FormOf(c.Request()))
}

func (s *Server) createGroup(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "name", "description")
	g, err := s.db.CreateGroup(c.Request().Context(), v.UserID, f.Value("name"), f.Value("description"))
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		f.Error = db.ErrorMessage(err)
		return s.renderGroups(c, web.StatusFor(db.ErrorCode(err)), f)
	}
	s.site.Flash(c.Request(), "Group created. Invite people below.")
	return c.Redirect(http.StatusSeeOther, paths.Group(g.ID))
}

// groupPage loads a group the viewer may see, with what they may do there.
func (s *Server) groupPage(r *http.Request, id int64, m views.GroupPage) (views.GroupPage, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	g, err := s.db.GroupByID(ctx, id)
	if err != nil {
		return m, err
	}
	members, err := s.db.GroupMembers(ctx, id)
	if err != nil {
		return m, err
	}
	m.ID, m.Name, m.Description, m.Role = g.ID, g.Name, g.Description, string(v.RoleIn(id))
	m.CanManage = v.ManageGroup(id) == nil
	m.MailEnabled = s.mailEnabled
	for _, mem := range members {
		row := views.MemberRow{UserID: mem.UserID, Name: mem.Name, Role: string(mem.Role), Joined: web.When(mem.JoinedAt), IsSelf: mem.UserID == v.UserID}
		if m.CanManage {
			row.Email = mem.Email
		}
		m.Members = append(m.Members, row)
	}
	if m.CanManage {
		invites, err := s.db.GroupInvites(ctx, id)
		if err != nil {
			return m, err
		}
		for _, inv := range invites {
			m.Invites = append(m.Invites, views.InviteRow{ID: inv.ID, Role: string(inv.Role), Uses: inv.Uses, MaxUses: inv.MaxUses, Expires: web.When(inv.ExpiresAt), AllowsSignup: inv.AllowsSignup})
		}
		if m.InviteForm.Values == nil {
			m.InviteForm = views.Form{Values: map[string]string{"role": "member", "uses": "1"}}
		}
	}
	return m, nil
}

func (s *Server) group(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	m, err := s.groupPage(c.Request(), id, views.GroupPage{})
	if err != nil {
		return err
	}
	return web.OK(c, views.GroupDetail(m))
}

func (s *Server) createGroupInvite(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "role", "uses", "signup", "emails")
	role, err := db.ParseRole(f.Value("role"))
	uses, convErr := strconv.Atoi(f.Value("uses"))
	if err == nil && (convErr != nil || uses < 1) {
		err = db.Errorf(db.EINVALID, "“How many people” must be a whole number from 1 to %d.", db.MaxInviteUses)
	}
	var emails []string
	if err == nil && s.mailEnabled {
		if emails, err = web.InviteEmails(f.Value("emails")); err != nil {
			err = db.About("emails", err)
		} else if len(emails) > uses {
			err = db.FieldErrorf("emails", "The link may be used by %d, and you are emailing %d people: raise “How many people”.", uses, len(emails))
		}
	}
	var (
		token string
		inv   db.Invite
	)
	if err == nil {
		token, inv, err = s.db.CreateInvite(c.Request().Context(), db.NewInvite{GroupID: id, Role: role, MaxUses: uses, CreatedBy: web.Viewer(c.Request()).UserID,
			AllowsSignup: f.Value("signup") != ""})
	}
	m := views.GroupPage{InviteForm: f}
	status := http.StatusCreated
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		web.Refused(&m.InviteForm, err)
		status = web.StatusFor(db.ErrorCode(err))
	} else {
		m.NewInviteURL = s.site.InviteURL(c.Request(), token)
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	if m, err = s.groupPage(c.Request(), id, m); err != nil {
		return err
	}
	if token != "" && len(emails) > 0 {
		what := fmt.Sprintf("to join the group “%s” (as a %s)", m.Name, inv.Role)
		if err := web.MailInvite(c.Request(), s.db.QueueMail, emails, m.NewInviteURL, what, inv); err != nil {
			return err
		}
		m.EmailedTo = emails
		m.InviteForm.Values["emails"] = ""
	}
	return web.Render(c, status, views.GroupDetail(m))
}

func (s *Server) revokeGroupInvite(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	inviteID, err := web.ID(c.Param("invite"))
	if err != nil {
		return err
	}
	if err := s.db.RevokeInvite(c.Request().Context(), id, inviteID); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "The invitation is withdrawn.")
	return c.Redirect(http.StatusSeeOther, paths.Group(id))
}

// memberFailure re-renders the group page with why a change was refused;
// internal errors and what the viewer may not see go to the error handler.
func (s *Server) memberFailure(c echo.Context, id int64, err error) error {
	code := db.ErrorCode(err)
	if code != db.EINVALID && code != db.ECONFLICT {
		return err
	}
	m, lerr := s.groupPage(c.Request(), id, views.GroupPage{Error: db.ErrorMessage(err)})
	if lerr != nil {
		return lerr
	}
	return web.Render(c, web.StatusFor(code), views.GroupDetail(m))
}

func (s *Server) setMemberRole(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	userID, err := web.ID(c.Param("user"))
	if err != nil {
		return err
	}
	role, err := db.ParseRole(c.FormValue("role"))
	if err == nil {
		err = s.db.SetMemberRole(c.Request().Context(), id, userID, role)
	}
	if err != nil {
		return s.memberFailure(c, id, err)
	}
	s.site.Flash(c.Request(), "The role is changed.")
	return c.Redirect(http.StatusSeeOther, paths.Group(id))
}

func (s *Server) removeMember(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	userID, err := web.ID(c.Param("user"))
	if err != nil {
		return err
	}
	if err := s.db.RemoveMember(c.Request().Context(), id, userID); err != nil {
		return s.memberFailure(c, id, err)
	}
	s.site.Flash(c.Request(), "The member is removed.")
	return c.Redirect(http.StatusSeeOther, paths.Group(id))
}

func (s *Server) leaveGroup(c echo.Context) error {
	v := web.Viewer(c.Request())
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	if err := s.db.RemoveMember(c.Request().Context(), id, v.UserID); err != nil {
		return s.memberFailure(c, id, err)
	}
	s.site.Flash(c.Request(), "You left the group.")
	return c.Redirect(http.StatusSeeOther, paths.Groups)
}
