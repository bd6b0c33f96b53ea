package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// notificationsPerPage is how many notifications a page lists.
const notificationsPerPage = 30

// notifications is GET /notifications: what the person was told, newest
// first (?unread=1: only unread), and what they chose to hear.
func (s *Server) notifications(c echo.Context) error {
	r := c.Request()
	ctx := r.Context()
	v := web.Viewer(r)
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	page, err := web.PageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	unreadOnly, err := web.BoolQuery(r, "unread")
	if err != nil {
		return err
	}
	list, err := s.db.NotificationsOf(ctx, v, unreadOnly, page, notificationsPerPage)
	if err != nil {
		return err
	}
	settings, err := s.db.NotificationSettingsOf(ctx, v)
	if err != nil {
		return err
	}
	groups, err := s.db.GroupsOf(ctx, v.UserID)
	if err != nil {
		return err
	}
	m := views.NotificationsPage{Unread: list.Unread, UnreadOnly: unreadOnly, EmailAvailable: s.cfg.MailEnabled, Email: settings.Email}
	pageURL := func(n int) string {
		q := "?page=" + strconv.Itoa(n)
		if unreadOnly {
			q += "&unread=1"
		}
		return paths.Notifications + q
	}
	if page > 1 {
		m.Prev = pageURL(page - 1)
	}
	if list.More {
		m.Next = pageURL(page + 1)
	}
	for _, n := range list.Items {
		m.Items = append(m.Items, notificationItem(n))
	}
	for _, g := range groups {
		m.Groups = append(m.Groups, views.NotificationGroup{ID: g.ID, Name: g.Name, Muted: settings.MutedGroups[g.ID], Followed: settings.Followed[g.ID]})
	}
	for id := range settings.MutedThreads {
		m.MutedThreads = append(m.MutedThreads, id)
	}
	return web.OK(c, views.Notifications(m))
}

// notificationItem says a notification in words, with where it leads.
func notificationItem(n db.Notification) views.NotificationItem {
	who := n.ActorName
	if who == "" {
		who = "Someone"
	}
	on := "“" + n.ArticleTitle + "”"
	it := views.NotificationItem{ID: n.ID, Excerpt: n.Excerpt, Quote: n.Quote, Open: paths.NotificationOpen(n.ID),
		When: web.When(n.CreatedAt), Unread: !n.Read, MuteThread: n.ThreadID}
	switch n.Kind {
	case db.NotifyReply:
		it.Text = who + " replied to you on " + on
	case db.NotifyMention:
		if n.NoteID != 0 {
			it.Text = who + " mentioned you in a note on " + on
		} else {
			it.Text = who + " mentioned you on " + on
		}
	case db.NotifyModeration:
		if n.Detail == "hide" {
			it.Text = who + " hid your annotation on " + on + " from " + n.GroupName
		} else {
			it.Text = who + " showed your annotation on " + on + " to " + n.GroupName + " again"
		}
	case db.NotifyMember:
		it.Text = who + " joined " + n.GroupName
	case db.NotifyGroupAnnotation:
		it.Text = who + " annotated " + on + " in " + n.GroupName
	}
	if n.GroupID != 0 && n.Kind != db.NotifyModeration {
		it.MuteGroup, it.GroupName = n.GroupID, n.GroupName
	}
	return it
}

// notificationTarget is where a notification leads: the exact passage,
// the note, or the group.
func notificationTarget(n db.Notification) string {
	switch {
	case n.AnnotationID != 0 && n.End > n.Start:
		return paths.Passage(n.ArticleSlug, n.Start, n.End, n.AnnotationID)
	case n.AnnotationID != 0:
		return paths.CardLink(n.ArticleSlug, n.AnnotationID)
	case n.NoteID != 0:
		return paths.NoteInArticle(n.ArticleSlug, n.NoteID)
	}
	return paths.Group(n.GroupID)
}

// openNotification is GET /notifications/{id}: marks it read and goes to
// what it is about (a link in the list, or in an email).
func (s *Server) openNotification(c echo.Context) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	n, err := s.db.NotificationByID(ctx, v, id)
	if err != nil {
		return err
	}
	if err := s.db.MarkRead(ctx, v, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, notificationTarget(n))
}

// markRead is POST /notifications/{id}/read.
func (s *Server) markRead(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.db.MarkRead(c.Request().Context(), web.Viewer(c.Request()), id); err != nil {
		return err
	}
	return s.backToNotifications(c, "")
}

// markAllRead is POST /notifications/read.
func (s *Server) markAllRead(c echo.Context) error {
	if err := s.db.MarkRead(c.Request().Context(), web.Viewer(c.Request()), 0); err != nil {
		return err
	}
	return s.backToNotifications(c, "Every notification is marked as read.")
}

// backToNotifications goes back to the list, with a flash when given.
func (s *Server) backToNotifications(c echo.Context, flash string) error {
	if flash != "" {
		s.site.Flash(c.Request(), flash)
	}
	return c.Redirect(http.StatusSeeOther, paths.Notifications)
}

// formSwitch reads a yes/no field ("1" or "0"), refusing anything else.
func formSwitch(c echo.Context, name string) (bool, error) {
	switch strings.TrimSpace(c.FormValue(name)) {
	case "1":
		return true, nil
	case "0":
		return false, nil
	}
	return false, db.FieldErrorf(name, "Say %s=1 or %s=0.", name, name)
}

// muteThread is POST /annotations/{id}/mute (mute=1 or 0).
func (s *Server) muteThread(c echo.Context) error {
	return s.toggle(c, "mute", s.db.MuteThread,
		"The thread is muted: you will hear no more about it.",
		"The thread is no longer muted.")
}

// muteGroup is POST /groups/{id}/mute (mute=1 or 0).
func (s *Server) muteGroup(c echo.Context) error {
	return s.toggle(c, "mute", s.db.MuteGroup,
		"The group is muted: you will hear nothing more about it.",
		"The group is no longer muted.")
}

// followGroup is POST /groups/{id}/follow (follow=1 or 0).
func (s *Server) followGroup(c echo.Context) error {
	return s.toggle(c, "follow", s.db.FollowGroup,
		"You will be told of each new annotation in the group.",
		"You will no longer be told of each new annotation in the group.")
}

// toggle turns one of the viewer's switches on the thing the path's id
// names (field=1 or 0) and goes back to the notifications, saying which.
func (s *Server) toggle(c echo.Context, field string, set func(context.Context, db.Viewer, int64, bool) error, onMsg, offMsg string) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	on, err := formSwitch(c, field)
	if err != nil {
		return err
	}
	if err := set(c.Request().Context(), web.Viewer(c.Request()), id, on); err != nil {
		return err
	}
	if on {
		return s.backToNotifications(c, onMsg)
	}
	return s.backToNotifications(c, offMsg)
}

// emailSetting is POST /notifications/email (on=1, or absent: off).
func (s *Server) emailSetting(c echo.Context) error {
	on := c.FormValue("on") == "1"
	if err := s.db.SetEmailNotifications(c.Request().Context(), web.Viewer(c.Request()), on); err != nil {
		return err
	}
	if on {
		return s.backToNotifications(c, "Mentions and replies will be emailed to you.")
	}
	return s.backToNotifications(c, "No more emails about mentions and replies.")
}

// mentionSuggestions is GET /mentions?q=…: the people who could be
// mentioned there (JSON), for the @ menu: in a reply (?parent=ID), or in a
// new annotation or note for an audience (?visibility=…&group=…).
func (s *Server) mentionSuggestions(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	var t db.MentionTarget
	if p := c.QueryParam("parent"); p != "" {
		id, err := web.ID(p)
		if err != nil {
			return err
		}
		t.ParentID = id
	} else if a := c.QueryParam("annotation"); a != "" {
		id, err := web.ID(a)
		if err != nil {
			return err
		}
		t.AnnotationID = id
	} else {
		t.Visibility = db.Visibility(c.QueryParam("visibility"))
		if g := c.QueryParam("group"); g != "" && t.Visibility == db.Shared {
			id, err := web.ID(g)
			if err != nil {
				return err
			}
			t.GroupID = id
		}
	}
	q := c.QueryParam("q")
	if len(q) > 100 {
		return web.BadRequest("Type fewer letters: a name is at most 100.")
	}
	list, err := s.db.MentionCandidates(c.Request().Context(), v, t, q, 8)
	if err != nil {
		return err
	}
	out := make([]views.MentionSuggestion, 0, len(list))
	for _, m := range list {
		out = append(out, views.MentionSuggestion{Name: m.Name, Token: m.Token})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// profile is GET /users/{id}: a person's name, and the groups the viewer
// shares with them (where a mention links).
func (s *Server) profile(c echo.Context) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	u, err := s.db.UserByID(ctx, id)
	if err != nil {
		return err
	}
	m := views.ProfilePage{Name: u.Name, Self: v.UserID == u.ID}
	if v.SignedIn() && !m.Self {
		theirs, err := s.db.Memberships(ctx, u.ID)
		if err != nil {
			return err
		}
		mine, err := s.db.GroupsOf(ctx, v.UserID)
		if err != nil {
			return err
		}
		for _, g := range mine {
			if theirs[g.ID] != "" {
				m.Shared = append(m.Shared, views.Option{Value: paths.Group(g.ID), Label: g.Name})
			}
		}
	}
	return web.OK(c, views.Profile(m))
}

// unsubscribeForm is GET /unsubscribe/{token}: the link in every email.
func (s *Server) unsubscribeForm(c echo.Context) error {
	return web.OK(c, views.Unsubscribe(c.Request().URL.Path, false, ""))
}

// unsubscribe is POST /unsubscribe/{token}: turns the person's emails off
// (the page's button, or a mail program's one-click unsubscribe, RFC 8058:
// the token is the authority, so no sign-in and no same-site check).
func (s *Server) unsubscribe(c echo.Context) error {
	token := c.Param("token")
	if len(token) > 100 {
		return db.Errorf(db.ENOTFOUND, "This unsubscribe link is not known.")
	}
	name, err := s.db.Unsubscribe(c.Request().Context(), token)
	if err != nil {
		return err
	}
	return web.OK(c, views.Unsubscribe("", true, name))
}
