package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// activityPerPage is how many items a page of a group's activity lists.
const activityPerPage = 50

// groupActivity is GET /groups/{id}/activity (?member=, ?article=,
// ?page=): what the group's members write, newest first, for its owners.
// Asked by its script (HX-Request), it sends only the list.
func (s *Server) groupActivity(c echo.Context) error {
	r := c.Request()
	ctx := r.Context()
	v := web.Viewer(r)
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := v.ViewActivity(id); err != nil {
		return err
	}
	c.Response().Header().Add("Vary", fragmentHeader)
	g, err := s.db.GroupByID(ctx, id)
	if err != nil {
		return err
	}
	page, err := web.PageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	var f db.ActivityFilter
	if raw := c.QueryParam("member"); raw != "" {
		if f.MemberID, err = web.ID(raw); err != nil {
			return err
		}
	}
	if raw := c.QueryParam("article"); raw != "" {
		if f.ArticleID, err = web.ID(raw); err != nil {
			return err
		}
	}
	since := s.live.Since(ctx)
	act, err := s.db.GroupActivity(ctx, v, id, f, page, activityPerPage)
	if err != nil {
		return err
	}
	members, err := s.db.GroupMembers(ctx, id)
	if err != nil {
		return err
	}
	m := views.ActivityPage{GroupID: id, GroupName: g.Name, Member: c.QueryParam("member"), Article: c.QueryParam("article"),
		Events: paths.GroupActivityEvents(id), Since: since}
	for _, mem := range members {
		m.Members = append(m.Members, views.Option{Value: itoa64(mem.UserID), Label: mem.Name})
	}
	for _, a := range act.Articles {
		m.Articles = append(m.Articles, views.Option{Value: itoa64(a.ID), Label: a.Title})
	}
	for _, it := range act.Items {
		m.Items = append(m.Items, activityEntry(it))
	}
	pageURL := func(n int) string {
		q := url.Values{"page": {strconv.Itoa(n)}}
		if m.Member != "" {
			q.Set("member", m.Member)
		}
		if m.Article != "" {
			q.Set("article", m.Article)
		}
		return paths.GroupActivity(id) + "?" + q.Encode()
	}
	if page > 1 {
		m.Prev = pageURL(page - 1)
	}
	if act.More {
		m.Next = pageURL(page + 1)
	}
	if inPlace(r) {
		return web.Render(c, http.StatusOK, views.ActivityList(m))
	}
	return web.OK(c, views.Activity(m))
}

func activityEntry(it db.ActivityItem) views.ActivityEntry {
	e := views.ActivityEntry{Who: it.AuthorName, Article: it.ArticleTitle, Quote: it.Quote, Excerpt: it.Excerpt,
		When: web.When(it.CreatedAt), Hidden: it.Hidden}
	switch it.Kind {
	case "note":
		e.ID, e.What, e.Href = "n-"+itoa64(it.ID), "wrote a note on", paths.NoteInArticle(it.ArticleSlug, it.ID)
	case "reply":
		e.ID, e.What = "a-"+itoa64(it.ID), "replied on"
	case "highlight":
		e.ID, e.What = "a-"+itoa64(it.ID), "highlighted a passage of"
	default:
		e.ID, e.What = "a-"+itoa64(it.ID), "commented on"
	}
	if it.Kind != "note" {
		if it.End > it.Start {
			e.Href = paths.Passage(it.ArticleSlug, it.Start, it.End, it.ID)
		} else {
			e.Href = paths.CardLink(it.ArticleSlug, it.ID)
		}
	}
	return e
}

// groupActivityEvents is GET /groups/{id}/activity/events: the activity
// page's stream (the group's writing, as its owner may read it).
func (s *Server) groupActivityEvents(c echo.Context) error {
	v := web.Viewer(c.Request())
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := v.ViewActivity(id); err != nil {
		return err
	}
	return s.stream(c, streamSpec{topics: []db.Topic{db.GroupTopic(id), db.UserTopic(v.UserID)}, first: s.countFirst,
		deliver: func(v db.Viewer, e db.Event) []sseMessage {
			switch {
			case e.Kind == db.NotificationsMoved:
				return s.countMessage(v)
			case e.GroupID == id && (e.AnnotationID != 0 || e.NoteID != 0):
				if v.ViewActivity(id) != nil {
					return []sseMessage{{name: "end", data: map[string]string{"reason": "You are no longer an owner of this group."}}}
				}
				return []sseMessage{{name: "change", data: changeData(v, e)}}
			}
			return nil
		}})
}
