package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gloss/db"
	"gloss/db/markdown"
	"gloss/db/mention"
	"gloss/db/sqlstore/internal/core"

	"golang.org/x/text/unicode/norm"
)

// Notifications are written in the transaction of what they are about
// (a reply, a mention, a hide, a new member), each with an event on its
// reader's own topic so their bell moves at once. They are listed only
// while their reader may read what they are about (the same rules as the
// reader, applied when listing), and go with it when it is deleted (the
// foreign keys' cascades).

// notice is a notification to write.
type notice struct {
	kind                                              db.NotificationKind
	actorID, articleID, groupID, annotationID, noteID int64
	threadID                                          int64
	detail                                            string
	// chain is what the thread rule needs to know of what it is about: a
	// recipient who could not read it is not told. Nil: about a group
	// (a new member), for its owners.
	chain []db.ThreadItem
}

// rolesOf reads people's roles in their groups inside tx.
func rolesOf(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64]map[int64]db.Role, error) {
	out := map[int64]map[int64]db.Role{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
		out[id] = map[int64]db.Role{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id, group_id, role FROM group_members WHERE user_id IN (`+core.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	err = core.EachRow(rows, func(r *sql.Rows) error {
		var u, g int64
		var role db.Role
		if err := r.Scan(&u, &g, &role); err != nil {
			return err
		}
		out[u][g] = role
		return nil
	})
	return out, err
}

// notify tells each recipient (once; never the actor) who may read what
// the notice is about and has not muted its thread or group.
func (store *Content) notify(ctx context.Context, tx *sql.Tx, n notice, recipients []int64) error {
	var list []int64
	for _, id := range recipients {
		if id != 0 && id != n.actorID && !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	if len(list) == 0 {
		return nil
	}
	roles, err := rolesOf(ctx, tx, list)
	if err != nil {
		return err
	}
	email := "none"
	if n.kind == db.NotifyReply || n.kind == db.NotifyMention {
		email = "due"
	}
	for _, uid := range list {
		v := db.Viewer{UserID: uid, Roles: roles[uid]}
		if n.chain != nil && !v.CanReadThread(n.chain) {
			continue
		}
		var muted int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notification_mutes
			WHERE user_id = ? AND (thread_id = ? OR group_id = ?)`, uid, n.threadID, n.groupID).Scan(&muted); err != nil {
			return err
		}
		if muted > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, actor_id, article_id, group_id, annotation_id,
			note_id, thread_id, detail, created_at, email_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			uid, string(n.kind), core.NullID(n.actorID), core.NullID(n.articleID), core.NullID(n.groupID), core.NullID(n.annotationID),
			core.NullID(n.noteID), core.NullID(n.threadID), n.detail, store.NowText(), email); err != nil {
			return fmt.Errorf("db: notify %d: %w", uid, err)
		}
		if err := store.AppendEvent(ctx, tx, db.Event{Kind: db.NotificationsMoved, UserID: uid, ActorID: n.actorID}); err != nil {
			return err
		}
	}
	return nil
}

// NotifyOwnersOfMember tells a group's owners that someone joined it.
func (store *Content) NotifyOwnersOfMember(ctx context.Context, tx *sql.Tx, groupID, userID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM group_members WHERE group_id = ? AND role = 'owner'`, groupID)
	if err != nil {
		return err
	}
	owners, err := core.ScanColumn[int64](rows)
	if err != nil {
		return err
	}
	return store.notify(ctx, tx, notice{kind: db.NotifyMember, actorID: userID, groupID: groupID}, owners)
}

// notifyFollowers tells the people following a group of a new annotation
// shared with it.
func (store *Content) notifyFollowers(ctx context.Context, tx *sql.Tx, n notice) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM group_follows WHERE group_id = ?`, n.groupID)
	if err != nil {
		return err
	}
	followers, err := core.ScanColumn[int64](rows)
	if err != nil {
		return err
	}
	return store.notify(ctx, tx, n, followers)
}

// touchNotified tells the people notified about an annotation's thread
// (the annotation and its replies) or a note that their notifications may
// have changed (it was edited, hidden, narrowed or is being deleted).
func (store *Content) touchNotified(ctx context.Context, tx *sql.Tx, annotationID, noteID int64) error {
	var rows *sql.Rows
	var err error
	if annotationID != 0 {
		rows, err = tx.QueryContext(ctx, `
			WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT r.id FROM annotations r JOIN down ON r.parent_id = down.id)
			SELECT DISTINCT user_id FROM notifications WHERE annotation_id IN (SELECT id FROM down) OR thread_id = ?`, annotationID, annotationID)
	} else {
		rows, err = tx.QueryContext(ctx, `SELECT DISTINCT user_id FROM notifications WHERE note_id = ?`, noteID)
	}
	if err != nil {
		return err
	}
	users, err := core.ScanColumn[int64](rows)
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := store.AppendEvent(ctx, tx, db.Event{Kind: db.NotificationsMoved, UserID: u}); err != nil {
			return err
		}
	}
	return nil
}

// mentionable is someone who could be mentioned, with their roles.
type mentionable struct {
	id    int64
	name  string
	roles map[int64]db.Role
}

// mentionPool is the people an author may mention anyone among: those in
// the author's groups and those who wrote in the thread (others, even when
// they could see a public annotation, are not found by their name: naming
// a stranger does not reach them, and nobody learns who has an account).
// System accounts are never in it.
func mentionPool(ctx context.Context, q core.Querier, authorID int64, thread []int64) ([]mentionable, error) {
	args := []any{authorID, authorID}
	cond := "u.id IN (SELECT m2.user_id FROM group_members m1 JOIN group_members m2 ON m2.group_id = m1.group_id WHERE m1.user_id = ?)"
	if len(thread) > 0 {
		cond += " OR u.id IN (" + core.Placeholders(len(thread)) + ")"
		for _, id := range thread {
			args = append(args, id)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name FROM users u WHERE u.id <> ? AND u.password_hash <> '' AND (`+cond+`) ORDER BY u.name, u.id`,
		args...)
	if err != nil {
		return nil, err
	}
	people, err := core.ScanAll(rows, func(r core.RowScanner) (mentionable, error) {
		var m mentionable
		err := r.Scan(&m.id, &m.name)
		return m, err
	})
	if err != nil || len(people) == 0 {
		return people, err
	}
	rargs := make([]any, len(people))
	byID := map[int64]*mentionable{}
	for i := range people {
		rargs[i] = people[i].id
		people[i].roles = map[int64]db.Role{}
		byID[people[i].id] = &people[i]
	}
	rrows, err := q.QueryContext(ctx, `SELECT user_id, group_id, role FROM group_members WHERE user_id IN (`+core.Placeholders(len(people))+`)`, rargs...)
	if err != nil {
		return nil, err
	}
	err = core.EachRow(rrows, func(r *sql.Rows) error {
		var u, g int64
		var role db.Role
		if err := r.Scan(&u, &g, &role); err != nil {
			return err
		}
		byID[u].roles[g] = role
		return nil
	})
	return people, err
}

// resolvedMention is a mention the store understood: who, and how it reads.
type resolvedMention struct {
	mention.Mention
	userID int64
}

// resolveMentions finds who each @[Name] in body is, among the people the
// author may mention, and refuses a text that mentions someone who could
// not read it (chain: what it will be, with its thread), a name nobody
// has, a name two people have (unless written @[Name#id]), or too many
// people.
func resolveMentions(ctx context.Context, q core.Querier, authorID int64, body string, chain []db.ThreadItem) ([]resolvedMention, error) {
	found := mention.Find(body)
	if len(found) == 0 {
		return nil, nil
	}
	names := map[string]bool{}
	for _, m := range found {
		names[FoldName(m.Name)+"#"+strconv.FormatInt(m.ID, 10)] = true
	}
	if len(names) > mention.Max {
		return nil, db.FieldErrorf("body", "At most %d people can be mentioned in one text: this one mentions %d.", mention.Max, len(names))
	}
	var thread []int64
	for _, t := range chain {
		thread = append(thread, t.AuthorID)
	}
	pool, err := mentionPool(ctx, q, authorID, thread)
	if err != nil {
		return nil, fmt.Errorf("db: mentions: %w", err)
	}
	out := make([]resolvedMention, 0, len(found))
	for _, m := range found {
		var match []mentionable
		for _, p := range pool {
			if FoldName(p.name) == FoldName(m.Name) && (m.ID == 0 || m.ID == p.id) {
				match = append(match, p)
			}
		}
		switch {
		case len(match) == 0:
			return nil, db.FieldErrorf("body", "Nobody called “%s” can be mentioned here: you can mention people in your groups and in this thread.", m.Name)
		case len(match) > 1:
			var ways []string
			for _, p := range match {
				ways = append(ways, "@["+p.name+"#"+strconv.FormatInt(p.id, 10)+"]")
			}
			return nil, db.FieldErrorf("body", "Several people are called “%s”: write %s to say which.", m.Name, strings.Join(ways, " or "))
		}
		p := match[0]
		if !(db.Viewer{UserID: p.id, Roles: p.roles}).CanReadThread(chain) {
			return nil, db.FieldErrorf("body", "%s cannot see this (%s), so they cannot be mentioned in it. Choose a wider audience, or leave the mention out.",
				p.name, audienceWords(chain))
		}
		out = append(out, resolvedMention{Mention: m, userID: p.id})
	}
	return out, nil
}

// audienceWords says who may read a thing, for a refusal.
func audienceWords(chain []db.ThreadItem) string {
	if len(chain) == 0 {
		return "nobody"
	}
	for _, t := range chain {
		if t.Visibility == db.Private {
			return "it is private"
		}
	}
	for _, t := range chain {
		if t.Visibility == db.Shared {
			return "it is shared with a group they are not in"
		}
	}
	if slices.ContainsFunc(chain, func(t db.ThreadItem) bool { return t.Hidden }) {
		return "it is hidden by a group owner"
	}
	return "it is not shared with them"
}

// mentionHTML renders a body with its resolved mentions as links to the
// people's pages.
func mentionHTML(body string, list []resolvedMention) string {
	if len(list) == 0 {
		return markdown.HTML(body)
	}
	ids := map[int]int64{}
	plain := make([]mention.Mention, len(list))
	for i, m := range list {
		plain[i] = m.Mention
		ids[m.Start] = m.userID
	}
	return markdown.HTML(mention.Rewrite(body, plain, func(m mention.Mention) string {
		return "[@" + markdown.Escape(m.Name) + "](/users/" + strconv.FormatInt(ids[m.Start], 10) + ")"
	}))
}

// recordMentions stores who an annotation or note mentions and tells the
// people newly mentioned (an edit tells only those it adds).
func (store *Content) recordMentions(ctx context.Context, tx *sql.Tx, n notice, list []resolvedMention) error {
	col, id := "annotation_id", n.annotationID
	if n.noteID != 0 {
		col, id = "note_id", n.noteID
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM mentions WHERE `+col+` = ?`, id)
	if err != nil {
		return err
	}
	before, err := core.ScanColumn[int64](rows)
	if err != nil {
		return err
	}
	var now, added []int64
	for _, m := range list {
		if slices.Contains(now, m.userID) {
			continue
		}
		now = append(now, m.userID)
		if !slices.Contains(before, m.userID) {
			added = append(added, m.userID)
			if _, err := tx.ExecContext(ctx, `INSERT INTO mentions (user_id, `+col+`, created_at) VALUES (?, ?, ?)`, m.userID, id, store.NowText()); err != nil {
				return fmt.Errorf("db: mention: %w", err)
			}
		}
	}
	for _, u := range before {
		if !slices.Contains(now, u) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM mentions WHERE user_id = ? AND `+col+` = ?`, u, id); err != nil {
				return err
			}
		}
	}
	n.kind = db.NotifyMention
	return store.notify(ctx, tx, n, added)
}

const notificationSelect = `
	SELECT n.id, n.kind, COALESCE(u.name, ''), COALESCE(ar.slug, ''), COALESCE(ar.title, ''), COALESCE(n.group_id, 0), COALESCE(g.name, ''),
	       COALESCE(n.annotation_id, 0), COALESCE(n.note_id, 0), COALESCE(n.thread_id, 0),
	       COALESCE(t.anchor_start, 0), COALESCE(t.anchor_end, 0), COALESCE(t.exact, ''),
	       COALESCE(a.body_html, nt.body_html, ''), n.detail, n.created_at, n.read_at IS NOT NULL
	FROM notifications n
	LEFT JOIN users u ON u.id = n.actor_id
	LEFT JOIN articles ar ON ar.id = n.article_id
	LEFT JOIN groups g ON g.id = n.group_id
	LEFT JOIN annotations a ON a.id = n.annotation_id
	LEFT JOIN annotations t ON t.id = n.thread_id
	LEFT JOIN notes nt ON nt.id = n.note_id`

// notificationWhere is what of a person's notifications they may still
// see: about an annotation they may read, a note they may see, or a
// group they own; and not muted.
func notificationWhere(v db.Viewer) (string, []any) {
	read, args := core.ReadableSQL(v, "a")
	seen, sargs := core.VisibleSQL(v, "nt")
	args = append(args, sargs...)
	owned := []string{}
	for _, id := range core.GroupsOf(v, func(r db.Role) bool { return r == db.RoleOwner }) {
		owned = append(owned, "?")
		args = append(args, id)
	}
	member := "0 = 1"
	if len(owned) > 0 {
		member = "n.group_id IN (" + strings.Join(owned, ", ") + ")"
	}
	args = append([]any{v.UserID}, args...)
	return `n.user_id = ? AND ((n.annotation_id IS NOT NULL AND ` + read + `) OR (n.note_id IS NOT NULL AND ` + seen + `)
		OR (n.kind = 'member' AND ` + member + `))
		AND NOT EXISTS (SELECT 1 FROM notification_mutes m WHERE m.user_id = n.user_id AND (m.thread_id = n.thread_id OR m.group_id = n.group_id))`, args
}

// pageOffset is a page's OFFSET, saturated: an absurd page number
// (?page=9223372036854775807) lists nothing rather than overflowing into a
// negative offset, which PostgreSQL refuses.
func pageOffset(page, perPage int) int {
	if page <= 1 || perPage <= 0 {
		return 0
	}
	if page-1 > math.MaxInt32/perPage {
		return math.MaxInt32
	}
	return (page - 1) * perPage
}

// NotificationsOf lists a person's notifications, newest first.
func (store *Content) NotificationsOf(ctx context.Context, v db.Viewer, unreadOnly bool, page, perPage int) (db.NotificationPage, error) {
	var out db.NotificationPage
	if err := v.RequireSignIn(); err != nil {
		return out, err
	}
	if page < 1 {
		page = 1
	}
	where, args := notificationWhere(v)
	if unreadOnly {
		where += " AND n.read_at IS NULL"
	}
	rows, err := store.Reads(ctx).QueryContext(ctx, notificationSelect+` WHERE `+where+` ORDER BY n.id DESC LIMIT ? OFFSET ?`,
		append(args, perPage+1, pageOffset(page, perPage))...)
	if err != nil {
		return out, fmt.Errorf("db: notifications: %w", err)
	}
	out.Items, err = core.ScanAll(rows, scanNotification)
	if err != nil {
		return out, err
	}
	if len(out.Items) > perPage {
		out.Items, out.More = out.Items[:perPage], true
	}
	out.Unread, err = store.UnreadCount(ctx, v)
	return out, err
}

func scanNotification(r core.RowScanner) (db.Notification, error) {
	var n db.Notification
	var at, body string
	err := r.Scan(&n.ID, &n.Kind, &n.ActorName, &n.ArticleSlug, &n.ArticleTitle, &n.GroupID, &n.GroupName,
		&n.AnnotationID, &n.NoteID, &n.ThreadID, &n.Start, &n.End, &n.Quote, &body, &n.Detail, &at, &n.Read)
	n.CreatedAt = core.ParseTime(at)
	n.Excerpt = clipText(markdown.HTMLText(body), 160)
	return n, err
}

// NotificationByID is one of the viewer's notifications they may still see.
func (store *Content) NotificationByID(ctx context.Context, v db.Viewer, id int64) (db.Notification, error) {
	if err := v.RequireSignIn(); err != nil {
		return db.Notification{}, err
	}
	where, args := notificationWhere(v)
	n, err := scanNotification(store.Reads(ctx).QueryRowContext(ctx, notificationSelect+` WHERE `+where+` AND n.id = ?`, append(args, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return n, db.Errorf(db.ENOTFOUND, "There is no such notification: what it was about may have been deleted, or is no longer shared with you.")
	}
	return n, err
}

// maxUnread caps the count (the bell says 99+).
const maxUnread = 100

// UnreadCount counts a person's unread notifications, up to maxUnread.
func (store *Content) UnreadCount(ctx context.Context, v db.Viewer) (int, error) {
	if !v.SignedIn() {
		return 0, nil
	}
	where, args := notificationWhere(v)
	var n int
	err := store.Reads(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 AS one FROM notifications n
		LEFT JOIN annotations a ON a.id = n.annotation_id LEFT JOIN notes nt ON nt.id = n.note_id
		WHERE `+where+` AND n.read_at IS NULL LIMIT ?) x`, append(args, maxUnread)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks a notification (or, with id 0, all of them) read.
func (store *Content) MarkRead(ctx context.Context, v db.Viewer, id int64) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND (CAST(? AS BIGINT) = 0 OR id = ?)`,
			store.NowText(), v.UserID, id, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 && id != 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?`, id, v.UserID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return db.Errorf(db.ENOTFOUND, "There is no such notification.")
			}
			return nil
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.NotificationsMoved, UserID: v.UserID, ActorID: v.UserID})
	})
}

// MuteThread stops (or starts again) notifications about a thread the
// viewer may read (any annotation of it names it).
func (store *Content) MuteThread(ctx context.Context, v db.Viewer, annotationID int64, mute bool) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	a, err := store.AnnotationByID(ctx, v, annotationID)
	if err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		root, err := threadRoot(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		return store.setMute(ctx, tx, v.UserID, "thread_id", root, mute)
	})
}

// MuteGroup stops (or starts again) notifications about a group's work
// and members.
func (store *Content) MuteGroup(ctx context.Context, v db.Viewer, groupID int64, mute bool) error {
	if err := v.ViewGroup(groupID); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return store.setMute(ctx, tx, v.UserID, "group_id", groupID, mute)
	})
}

func (store *Content) setMute(ctx context.Context, tx *sql.Tx, userID int64, col string, id int64, mute bool) error {
	var err error
	if mute {
		_, err = tx.ExecContext(ctx, `INSERT INTO notification_mutes (user_id, `+col+`, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			userID, id, store.NowText())
	} else {
		_, err = tx.ExecContext(ctx, `DELETE FROM notification_mutes WHERE user_id = ? AND `+col+` = ?`, userID, id)
	}
	if err != nil {
		return fmt.Errorf("db: mute: %w", err)
	}
	return store.AppendEvent(ctx, tx, db.Event{Kind: db.NotificationsMoved, UserID: userID, ActorID: userID})
}

// FollowGroup asks (or stops asking) to be told of each new annotation
// shared with a group the viewer reads.
func (store *Content) FollowGroup(ctx context.Context, v db.Viewer, groupID int64, follow bool) error {
	if err := v.ViewGroup(groupID); err != nil {
		return err
	}
	if follow && !v.ReadGroupWork(groupID) {
		return db.Errorf(db.EFORBIDDEN, "Only the group's members can follow its annotations.")
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if follow {
			_, err = tx.ExecContext(ctx, `INSERT INTO group_follows (user_id, group_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				v.UserID, groupID, store.NowText())
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM group_follows WHERE user_id = ? AND group_id = ?`, v.UserID, groupID)
		}
		return err
	})
}

// SetEmailNotifications turns a person's emails about mentions and
// replies on or off.
func (store *Content) SetEmailNotifications(ctx context.Context, v db.Viewer, on bool) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := store.emailToken(ctx, tx, v.UserID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE email_settings SET enabled = ? WHERE user_id = ?`, boolInt(on), v.UserID)
		return err
	})
}

// emailToken is a person's unsubscribe token, made on first use.
func (store *Content) emailToken(ctx context.Context, tx *sql.Tx, userID int64) (string, error) {
	var token string
	err := tx.QueryRowContext(ctx, `SELECT token FROM email_settings WHERE user_id = ?`, userID).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		token, _ = db.NewSecret("")
		_, err = tx.ExecContext(ctx, `INSERT INTO email_settings (user_id, enabled, token) VALUES (?, 1, ?)`, userID, token)
	}
	return token, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NotificationSettingsOf returns a person's mutes, follows and email choice.
func (store *Content) NotificationSettingsOf(ctx context.Context, v db.Viewer) (db.NotificationSettings, error) {
	s := db.NotificationSettings{MutedThreads: map[int64]bool{}, MutedGroups: map[int64]bool{}, Followed: map[int64]bool{}, Email: true}
	if err := v.RequireSignIn(); err != nil {
		return s, err
	}
	rows, err := store.Reads(ctx).QueryContext(ctx, `SELECT COALESCE(thread_id, 0), COALESCE(group_id, 0) FROM notification_mutes WHERE user_id = ?`, v.UserID)
	if err != nil {
		return s, err
	}
	if err := core.EachRow(rows, func(r *sql.Rows) error {
		var t, g int64
		if err := r.Scan(&t, &g); err != nil {
			return err
		}
		if t != 0 {
			s.MutedThreads[t] = true
		} else {
			s.MutedGroups[g] = true
		}
		return nil
	}); err != nil {
		return s, err
	}
	rows, err = store.Reads(ctx).QueryContext(ctx, `SELECT group_id FROM group_follows WHERE user_id = ?`, v.UserID)
	if err != nil {
		return s, err
	}
	followed, err := core.ScanColumn[int64](rows)
	if err != nil {
		return s, err
	}
	for _, g := range followed {
		s.Followed[g] = true
	}
	var enabled int
	err = store.Reads(ctx).QueryRowContext(ctx, `SELECT enabled FROM email_settings WHERE user_id = ?`, v.UserID).Scan(&enabled)
	if err == nil {
		s.Email = enabled == 1
	} else if !errors.Is(err, sql.ErrNoRows) {
		return s, err
	}
	return s, nil
}

// MentionCandidates lists who could be mentioned at target whose name
// starts with prefix (folded), among the people the viewer may mention.
func (store *Content) MentionCandidates(ctx context.Context, v db.Viewer, target db.MentionTarget, prefix string, limit int) ([]db.MentionCandidate, error) {
	if err := v.RequireSignIn(); err != nil {
		return nil, err
	}
	chain, err := store.targetChain(ctx, v, target)
	if err != nil {
		return nil, err
	}
	var thread []int64
	for _, t := range chain {
		thread = append(thread, t.AuthorID)
	}
	pool, err := mentionPool(ctx, store.Reads(ctx), v.UserID, thread)
	if err != nil {
		return nil, err
	}
	p := FoldName(prefix)
	var keep []mentionable
	names := map[string]int{}
	for _, m := range pool {
		if !(db.Viewer{UserID: m.id, Roles: m.roles}).CanReadThread(chain) {
			continue
		}
		names[FoldName(m.name)]++
		if strings.HasPrefix(FoldName(m.name), p) || strings.Contains(" "+FoldName(m.name), " "+p) {
			keep = append(keep, m)
		}
	}
	var out []db.MentionCandidate
	for _, m := range keep {
		if len(out) == limit {
			break
		}
		token := "@[" + m.name + "]"
		if names[FoldName(m.name)] > 1 {
			token = "@[" + m.name + "#" + strconv.FormatInt(m.id, 10) + "]"
		}
		out = append(out, db.MentionCandidate{UserID: m.id, Name: m.name, Token: token})
	}
	return out, nil
}

// targetChain is the audience a text written at target would have.
func (store *Content) targetChain(ctx context.Context, v db.Viewer, t db.MentionTarget) ([]db.ThreadItem, error) {
	if t.AnnotationID != 0 {
		a, err := store.AnnotationByID(ctx, v, t.AnnotationID)
		if err != nil {
			return nil, err
		}
		return core.ThreadChain(ctx, store.Reads(ctx), a.ID)
	}
	if t.ParentID != 0 {
		parent, err := store.AnnotationByID(ctx, v, t.ParentID)
		if err != nil {
			return nil, err
		}
		vis, group, err := store.ReplyAudience(ctx, parent.ID)
		if err != nil {
			return nil, err
		}
		chain, err := core.ThreadChain(ctx, store.Reads(ctx), parent.ID)
		if err != nil {
			return nil, err
		}
		return append([]db.ThreadItem{{AuthorID: v.UserID, Visibility: vis, GroupID: group}}, chain...), nil
	}
	vis, err := db.ParseVisibility(string(t.Visibility))
	if err != nil {
		return nil, err
	}
	if vis == db.Shared {
		if err := v.WriteInGroup(t.GroupID); err != nil {
			return nil, err
		}
	}
	return []db.ThreadItem{{AuthorID: v.UserID, Visibility: vis, GroupID: t.GroupID}}, nil
}

// clipText cuts text to at most n runes, at a space when one is near.
func clipText(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// FoldName is a name as people read it: compatibility forms folded (a
// full-width Ａ is an A), case and runs of spaces ignored.
func FoldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFKC.String(s)), " "))
}
