package core

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gloss/db"
)

// The event log (db.EventLog): each write that changes what a page shows
// appends its events in its own transaction (AppendEvent), so an event is
// stored if and only if its change is. After a commit that stored events
// the writer signals EventsCommitted; the broker (db/hub) then reads them.

// chainItem is a db.ThreadItem as stored in an event's audience.
type chainItem struct {
	A int64         `json:"a"`
	V db.Visibility `json:"v"`
	G int64         `json:"g,omitempty"`
	H bool          `json:"h,omitempty"`
}

func encodeChain(chain []db.ThreadItem) string {
	if len(chain) == 0 {
		return ""
	}
	out := make([]chainItem, len(chain))
	for i, t := range chain {
		out[i] = chainItem{A: t.AuthorID, V: t.Visibility, G: t.GroupID, H: t.Hidden}
	}
	b, _ := json.Marshal(out) // plain structs: never fails
	return string(b)
}

func decodeChain(s string) ([]db.ThreadItem, error) {
	if s == "" {
		return nil, nil
	}
	var in []chainItem
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]db.ThreadItem, len(in))
	for i, t := range in {
		out[i] = db.ThreadItem{AuthorID: t.A, Visibility: t.V, GroupID: t.G, Hidden: t.H}
	}
	return out, nil
}

var qAppendEvent = WriteStatement(`INSERT INTO events (kind, article_id, group_id, user_id, annotation_id, note_id, actor_id,
	audience, audience_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// AppendEvent stores an event inside tx (the write that makes the change).
func (store *Core) AppendEvent(ctx context.Context, tx *sql.Tx, e db.Event) error {
	var seq int64
	if err := store.Stmt(ctx, tx, qAppendEvent).QueryRowContext(ctx, string(e.Kind), NullID(e.ArticleID), NullID(e.GroupID),
		NullID(e.UserID), NullID(e.AnnotationID), NullID(e.NoteID), NullID(e.ActorID),
		encodeChain(e.Audience), encodeChain(e.AudienceBefore), store.NowText()).Scan(&seq); err != nil {
		return fmt.Errorf("db: record event %s: %w", e.Kind, err)
	}
	store.eventsStored.Store(true)
	store.lastEvent.Store(seq)
	return nil
}

// ThreadChain is what the thread rule needs of an annotation and each of
// its ancestors (the annotation first), read inside tx; empty when the
// annotation does not exist.
func ThreadChain(ctx context.Context, q Querier, id int64) ([]db.ThreadItem, error) {
	rows, err := q.QueryContext(ctx, `
		WITH RECURSIVE up(id, depth) AS (
			SELECT CAST(? AS BIGINT), 0
			UNION ALL SELECT a.parent_id, up.depth + 1 FROM annotations a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
		SELECT h.author_id, h.visibility, COALESCE(h.group_id, 0), h.hidden_at IS NOT NULL
		FROM up JOIN annotations h ON h.id = up.id ORDER BY up.depth`, id)
	if err != nil {
		return nil, fmt.Errorf("db: thread of %d: %w", id, err)
	}
	return ScanAll(rows, func(r RowScanner) (db.ThreadItem, error) {
		var t db.ThreadItem
		err := r.Scan(&t.AuthorID, &t.Visibility, &t.GroupID, &t.Hidden)
		return t, err
	})
}

// AnnotationEvent records a change to an annotation: its audience now is
// read inside tx (none after a deletion); before is what it was.
func (store *Core) AnnotationEvent(ctx context.Context, tx *sql.Tx, kind db.EventKind, a db.Annotation, actorID int64, before []db.ThreadItem) error {
	var after []db.ThreadItem
	if kind != db.AnnotationDeleted {
		var err error
		if after, err = ThreadChain(ctx, tx, a.ID); err != nil {
			return err
		}
	}
	e := db.Event{Kind: kind, ArticleID: a.ArticleID, AnnotationID: a.ID, ActorID: actorID, Audience: after, AudienceBefore: before}
	if a.Visibility == db.Shared {
		e.GroupID = a.GroupID
	}
	return store.AppendEvent(ctx, tx, e)
}

// NoteEvent records a change to a note.
func (store *Core) NoteEvent(ctx context.Context, tx *sql.Tx, kind db.EventKind, n db.Note, actorID int64, before []db.ThreadItem) error {
	e := db.Event{Kind: kind, ArticleID: n.ArticleID, NoteID: n.ID, ActorID: actorID, AudienceBefore: before}
	if kind != db.NoteDeleted {
		e.Audience = []db.ThreadItem{{AuthorID: n.AuthorID, Visibility: n.Visibility, GroupID: n.GroupID}}
	}
	if n.Visibility == db.Shared {
		e.GroupID = n.GroupID
	}
	return store.AppendEvent(ctx, tx, e)
}

// NoteAudience is a note as the thread rule sees it.
func NoteAudience(n db.Note) []db.ThreadItem {
	return []db.ThreadItem{{AuthorID: n.AuthorID, Visibility: n.Visibility, GroupID: n.GroupID}}
}

const eventSelect = `SELECT e.id, e.kind, COALESCE(e.article_id, 0), COALESCE(e.group_id, 0), COALESCE(e.user_id, 0),
	COALESCE(e.annotation_id, 0), COALESCE(e.note_id, 0), COALESCE(e.actor_id, 0), COALESCE(u.name, ''),
	e.audience, e.audience_before, e.created_at
	FROM events e LEFT JOIN users u ON u.id = e.actor_id`

// EventsAfter returns up to limit events after the given Seq, in order
// (db.EventLog).
func (store *Core) EventsAfter(ctx context.Context, after int64, limit int) ([]db.Event, error) {
	rows, err := store.Query(ctx, eventSelect+` WHERE e.id > ? ORDER BY e.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("db: events after %d: %w", after, err)
	}
	return ScanAll(rows, func(r RowScanner) (db.Event, error) {
		var e db.Event
		var aud, before, at string
		if err := r.Scan(&e.Seq, &e.Kind, &e.ArticleID, &e.GroupID, &e.UserID, &e.AnnotationID, &e.NoteID, &e.ActorID,
			&e.ActorName, &aud, &before, &at); err != nil {
			return e, err
		}
		e.At = ParseTime(at)
		var err error
		if e.Audience, err = decodeChain(aud); err != nil {
			return e, fmt.Errorf("db: event %d: %w", e.Seq, err)
		}
		if e.AudienceBefore, err = decodeChain(before); err != nil {
			return e, fmt.Errorf("db: event %d: %w", e.Seq, err)
		}
		return e, nil
	})
}

// EventBounds says up to which Seq events may have been pruned, and the
// last Seq stored (db.EventLog).
func (store *Core) EventBounds(ctx context.Context) (pruned, last int64, err error) {
	err = store.QueryRow(ctx, `SELECT s.pruned_through, COALESCE((SELECT MAX(id) FROM events), 0)
		FROM event_log_state s WHERE s.id = 1`).Scan(&pruned, &last)
	if err != nil {
		return 0, 0, fmt.Errorf("db: event log: %w", err)
	}
	// An empty log after pruning (or a restored backup) starts after it.
	return pruned, max(last, pruned), nil
}

// PruneEvents deletes the events older than before, keeping at least the
// newest keep (db.EventLog).
func (store *Core) PruneEvents(ctx context.Context, before time.Time, keep int) (int64, error) {
	var n int64
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var through int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events WHERE created_at < ?
			AND id <= COALESCE((SELECT MAX(id) FROM events), 0) - ?`, before.UTC().Format(TimeFormat), keep).Scan(&through)
		if err != nil || through == 0 {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id <= ?`, through)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `UPDATE event_log_state SET pruned_through = ? WHERE id = 1 AND pruned_through < ?`, through, through)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("db: prune events: %w", err)
	}
	return n, nil
}

// EventsCommitted is signalled after each commit that stored events, and
// closed when the store closes (db.EventLog).
func (store *Core) EventsCommitted() <-chan struct{} { return store.committed }

// EventWaker hears of other instances' events: the engine's, nil on one
// that only this process writes (db.EventLog).
func (store *Core) EventWaker() db.EventWaker { return store.eng.Waker }

// CommittedEvent is the last event this process's writes committed. It
// moves before those writes are acknowledged, where the broker hears of
// them a moment later; writes take turns (one writer here, one lock
// across instances), so every event before it is committed too. A cache
// keyed by the greater of it and the broker's last event never serves a
// page from before a write whose writer was told it is done.
func (store *Core) CommittedEvent() int64 { return store.committedEvent.Load() }

// afterCommit runs on the writer after each commit: the search index
// settles, and the broker wakes when the transaction stored events.
func (store *Core) afterCommit() {
	if store.searchSettle != nil {
		store.searchSettle()
	}
	if store.eventsStored.Swap(false) {
		if last := store.lastEvent.Load(); last > store.committedEvent.Load() {
			store.committedEvent.Store(last) // only the writer stores it
		}
		select {
		case store.committed <- struct{}{}:
		default: // a wake-up is pending already: it will read these too
		}
	}
}
