package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/hub"
	"gloss/db/postgres"
	"gloss/db/postgres/pgtest"
	"gloss/db/sqlstore"
)

// TestEventsReachOtherInstances: two stores on one database, as two Gloss
// instances are. An event committed through one reaches a hub on the
// other through LISTEN/NOTIFY alone (the hub's poll is an hour), in
// order and once; when the listening connection is cut, the listener
// connects again and the hub catches up from the log: nothing missed,
// nothing twice.
func TestEventsReachOtherInstances(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	open := func() *sqlstore.Store {
		s, err := postgres.Open(ctx, dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	if _, err := a.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: "Some words to annotate here."}); err != nil {
		t.Fatal(err)
	}
	art, err := a.ArticleBySlug(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.CreateUser(ctx, db.NewUser{Email: "ana@example.org", Name: "Ana", Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.ViewerFor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	annotate := func() int64 {
		t.Helper()
		an, err := a.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "words", Body: "from A", Visibility: "public"})
		if err != nil {
			t.Fatal(err)
		}
		return an.ID
	}

	h := hub.New(b, hub.Options{Poll: time.Hour}) // only a wake-up moves it
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	sub := h.Subscribe(db.ArticleTopic(art.ID))
	defer sub.Close()
	var last int64
	expect := func(id int64) {
		t.Helper()
		select {
		case e := <-sub.Events():
			if e.Kind != db.AnnotationCreated || e.AnnotationID != id || e.Seq <= last {
				t.Fatalf("got %+v (after Seq %d), want the creation of annotation %d", *e, last, id)
			}
			last = e.Seq
		case <-time.After(10 * time.Second):
			t.Fatalf("annotation %d made through store A never reached the hub on store B", id)
		}
	}

	// The first may be read on the listener's first wake-up; the second
	// can come only with A's notice.
	expect(annotate())
	expect(annotate())

	t.Run("Reconnects", func(t *testing.T) {
		// Cut B's listening connection, as a restart of PostgreSQL or a
		// network fault would, and write meanwhile.
		admin := pgtest.Admin(t)
		u, _ := url.Parse(dsn)
		res, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = $1 AND query = 'LISTEN gloss_events'`, strings.TrimPrefix(u.Path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%d listening connections cut, want B's one", n)
		}
		first, second := annotate(), annotate()
		expect(first)
		expect(second)
		third := annotate() // heard on the new connection
		expect(third)
		select {
		case e := <-sub.Events():
			t.Errorf("an event came twice or from nowhere: %+v", *e)
		case <-time.After(100 * time.Millisecond):
		}
	})
}
