package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// GroupOverview builds a group's class overview for the viewer (see
// ViewOverview). The passages are ranked among what the viewer may read.
func (store *Store) GroupOverview(ctx context.Context, v db.Viewer, groupID int64) (db.Overview, error) {
	everyone, err := v.ViewOverview(groupID)
	if err != nil {
		return db.Overview{}, err
	}
	o := db.Overview{Everyone: everyone}
	if o.Group, err = store.GroupByID(ctx, groupID); err != nil {
		return o, err
	}
	members, err := store.GroupMembers(ctx, groupID)
	if err != nil {
		return o, err
	}
	rows := map[int64]*db.MemberActivity{}
	for _, m := range members {
		if !everyone && m.UserID != v.UserID {
			continue
		}
		o.Members = append(o.Members, db.MemberActivity{UserID: m.UserID, Name: m.Name, Role: m.Role})
	}
	for i := range o.Members {
		rows[o.Members[i].UserID] = &o.Members[i]
	}
	if err := store.memberActivity(ctx, groupID, rows); err != nil {
		return o, err
	}
	o.Passages, err = store.discussedPassages(ctx, v, groupID)
	return o, err
}

func (store *Store) memberActivity(ctx context.Context, groupID int64, rows map[int64]*db.MemberActivity) error {
	res, err := store.Query(ctx, `
		SELECT x.author_id, x.article_id, ar.slug, ar.title, x.kind, COUNT(*), MIN(x.created_at), MAX(x.created_at)
		FROM (SELECT author_id, article_id, CASE WHEN parent_id IS NULL THEN 'annotation' ELSE 'reply' END AS kind, created_at
		      FROM annotations WHERE visibility = 'group' AND group_id = ?
		      UNION ALL
		      SELECT author_id, article_id, 'note', created_at FROM notes WHERE visibility = 'group' AND group_id = ?) x
		JOIN articles ar ON ar.id = x.article_id
		GROUP BY x.author_id, x.article_id, ar.slug, ar.title, ar.published_on, x.kind
		ORDER BY ar.published_on DESC, ar.title, x.article_id`, groupID, groupID)
	if err != nil {
		return fmt.Errorf("db: overview of %d: %w", groupID, err)
	}
	return core.EachRow(res, func(r *sql.Rows) error {
		var author int64
		var a db.ArticleActivity
		var kind, first, last string
		var n int
		if err := r.Scan(&author, &a.ArticleID, &a.Slug, &a.Title, &kind, &n, &first, &last); err != nil {
			return err
		}
		m := rows[author]
		if m == nil {
			return nil // a former member, or someone else's row
		}
		var art *db.ArticleActivity
		for i := range m.Articles {
			if m.Articles[i].ArticleID == a.ArticleID {
				art = &m.Articles[i]
			}
		}
		if art == nil {
			m.Articles = append(m.Articles, a)
			art = &m.Articles[len(m.Articles)-1]
		}
		switch kind {
		case "annotation":
			art.Annotations += n
			m.Annotations += n
		case "reply":
			art.Replies += n
			m.Replies += n
		default:
			art.Notes += n
			m.Notes += n
		}
		f, l := core.ParseTime(first), core.ParseTime(last)
		art.First, art.Last = earliest(art.First, f), latest(art.Last, l)
		m.First, m.Last = earliest(m.First, f), latest(m.Last, l)
		return nil
	})
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// discussedPassages ranks the group's passages by annotations and replies
// the viewer may read. Annotations on the same words are one passage.
func (store *Store) discussedPassages(ctx context.Context, v db.Viewer, groupID int64) ([]db.DiscussedPassage, error) {
	cond, args := core.VisibleWhere(v, "a")
	rows, err := store.Query(ctx, content.AnnotationSelect+`
		WHERE a.visibility = 'group' AND a.group_id = ? AND `+cond+` ORDER BY a.id`, append([]any{groupID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("db: discussed passages of %d: %w", groupID, err)
	}
	all, err := core.ScanAll(rows, content.ScanAnnotation)
	if err != nil {
		return nil, err
	}
	type key struct {
		article    int64
		start, end int
		orphan     string
	}
	byKey := map[key]*db.DiscussedPassage{}
	people := map[key]map[int64]bool{}
	var order []key
	for _, root := range content.Thread(all) {
		k := key{article: root.ArticleID, start: root.Anchor.Start, end: root.Anchor.End}
		if root.Anchor.Status == anchor.Orphaned {
			k = key{article: root.ArticleID, orphan: root.Selector.Exact}
		}
		p := byKey[k]
		if p == nil {
			p = &db.DiscussedPassage{ArticleSlug: root.ArticleSlug, ArticleTitle: root.ArticleTitle, Quote: root.Selector.Exact,
				Status: root.Anchor.Status, Start: root.Anchor.Start, End: root.Anchor.End}
			byKey[k], people[k] = p, map[int64]bool{}
			order = append(order, k)
		}
		p.Annotations++
		var walk func(a *db.Annotation)
		walk = func(a *db.Annotation) {
			people[k][a.AuthorID] = true
			p.Last = latest(p.Last, a.CreatedAt)
			for _, r := range a.Replies {
				p.Replies++
				walk(r)
			}
		}
		walk(root)
	}
	out := make([]db.DiscussedPassage, 0, len(order))
	for _, k := range order {
		p := byKey[k]
		p.People = len(people[k])
		out = append(out, *p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := out[i].Annotations+out[i].Replies, out[j].Annotations+out[j].Replies
		if si != sj {
			return si > sj
		}
		return out[i].Last.After(out[j].Last)
	})
	if len(out) > db.MaxDiscussed {
		out = out[:db.MaxDiscussed]
	}
	return out, nil
}
