package sqlstore

// Internal tests: they drive InTx and look at the writer's queue to make
// batches happen on purpose.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

func openTestDB(t *testing.T) *Store {
	t.Helper()
	d, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "gloss.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// holdWriter runs a write that waits until release is called, so the writes
// made meanwhile queue up and then run as one batch.
func holdWriter(t *testing.T, d *Store) (release func()) {
	t.Helper()
	started, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- d.InTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			close(started)
			<-gate
			return nil
		})
	}()
	<-started
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Errorf("holding write: %v", err)
		}
	}
}

// waitQueued waits until n writes wait in the writer's queue.
func waitQueued(t *testing.T, d *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(d.WriteGroup.Reqs) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", len(d.WriteGroup.Reqs), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// insertTag is a write that stores one row the test can look for.
func insertTag(name string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tags (name) VALUES (?)`, name)
		return err
	}
}

func tagStored(t *testing.T, d *Store, name string) bool {
	t.Helper()
	var n int
	if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM tags WHERE name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// batch queues one write per fn behind a held writer, releases it and
// returns each write's error, in order, and how many transactions they
// took (one, or two when a broken batch sent the rest to one of their own).
func batchN(t *testing.T, d *Store, ctxs []context.Context, fns []func(ctx context.Context, tx *sql.Tx) error) ([]error, int64) {
	t.Helper()
	release := holdWriter(t, d)
	before := d.WriteGroup.Batches.Load()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		// One at a time, so the queue's order is the slice's.
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.InTx(ctxs[i], fn)
		}()
		waitQueued(t, d, i+1)
	}
	release()
	wg.Wait()
	return errs, d.WriteGroup.Batches.Load() - before
}

// batch is batchN for writes that share a transaction.
func batch(t *testing.T, d *Store, ctxs []context.Context, fns []func(ctx context.Context, tx *sql.Tx) error) []error {
	t.Helper()
	errs, n := batchN(t, d, ctxs, fns)
	if n != 1 {
		t.Fatalf("the writes ran in %d transactions, want 1", n)
	}
	return errs
}

func background(n int) []context.Context {
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = context.Background()
	}
	return ctxs
}

func TestGroupCommit(t *testing.T) {
	ctx := context.Background()

	t.Run("OneBatch", func(t *testing.T) {
		d := openTestDB(t)
		var fns []func(ctx context.Context, tx *sql.Tx) error
		for i := range 10 {
			fns = append(fns, insertTag(fmt.Sprintf("t%d", i)))
		}
		for i, err := range batch(t, d, background(10), fns) {
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
			if !tagStored(t, d, fmt.Sprintf("t%d", i)) {
				t.Errorf("write %d acknowledged but not stored", i)
			}
		}
	})

	t.Run("FailingWriteUndoesOnlyItself", func(t *testing.T) {
		d := openTestDB(t)
		refusal := db.Errorf(db.ECONFLICT, "No, not this one.")
		fns := []func(ctx context.Context, tx *sql.Tx) error{
			insertTag("before"),
			func(ctx context.Context, tx *sql.Tx) error {
				// Writes, then fails: its write must go with it.
				if err := insertTag("failed")(ctx, tx); err != nil {
					return err
				}
				return refusal
			},
			insertTag("before"), // a constraint error: also only itself
			insertTag("after"),
		}
		errs := batch(t, d, background(len(fns)), fns)
		if errs[0] != nil || errs[3] != nil {
			t.Fatalf("the good writes failed: %v, %v", errs[0], errs[3])
		}
		if !errors.Is(errs[1], refusal) || db.ErrorCode(errs[1]) != db.ECONFLICT || db.ErrorMessage(errs[1]) != "No, not this one." {
			t.Errorf("the failing write got %v, want its own error", errs[1])
		}
		if errs[2] == nil {
			t.Error("the duplicate insert succeeded")
		}
		if !tagStored(t, d, "before") || !tagStored(t, d, "after") {
			t.Error("a good write in the batch is missing")
		}
		if tagStored(t, d, "failed") {
			t.Error("the failing write's insert was kept")
		}
	})

	t.Run("SearchIndexAtCommit", func(t *testing.T) {
		// Notes written in one batch reach the search index at its commit
		// (migration 0011's queue), a failed one's with it rolled back.
		d := openTestDB(t)
		if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: "Some text."}); err != nil {
			t.Fatal(err)
		}
		art, err := d.ArticleBySlug(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at, updated_at)
				VALUES (1, 'u@example.org', 'U', 'x', '', '')`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		note := func(body string, fail bool) func(ctx context.Context, tx *sql.Tx) error {
			return func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notes (article_id, author_id, body, body_html, visibility, created_at, updated_at)
					VALUES (?, 1, ?, '', 'public', '', '')`, art.ID, body); err != nil {
					return err
				}
				if fail {
					return db.Errorf(db.ECONFLICT, "no")
				}
				return nil
			}
		}
		errs := batch(t, d, background(3), []func(ctx context.Context, tx *sql.Tx) error{
			note("okapi one", false), note("okapi two", true), note("okapi three", false)})
		if errs[0] != nil || errs[1] == nil || errs[2] != nil {
			t.Fatalf("errors %v", errs)
		}
		var queued, found int
		if err := d.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM search_queue),
			(SELECT COUNT(*) FROM search_notes WHERE search_notes MATCH 'okapi')`).Scan(&queued, &found); err != nil {
			t.Fatal(err)
		}
		if queued != 0 || found != 2 {
			t.Errorf("after the commit: %d queued, %d found, want 0 and 2", queued, found)
		}
		if err := d.CheckSearchIndex(ctx); err != nil {
			t.Error(err)
		}
		// Edits of older rows among new ones, twice to one row, and a
		// removal, in one batch: each row's changes apply in order.
		exec := func(q string, args ...any) func(ctx context.Context, tx *sql.Tx) error {
			return func(ctx context.Context, tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q, args...); return err }
		}
		errs = batch(t, d, background(5), []func(ctx context.Context, tx *sql.Tx) error{
			note("okapi four", false),
			exec(`UPDATE notes SET body = 'okapi uno' WHERE body = 'okapi one'`),
			exec(`UPDATE notes SET body = 'okapi eins' WHERE body = 'okapi uno'`),
			exec(`DELETE FROM notes WHERE body = 'okapi three'`),
			note("okapi five", false),
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		for q, want := range map[string]int{"okapi": 3, "eins": 1, "one OR uno OR three": 0} {
			if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM search_notes WHERE search_notes MATCH ?`, q).Scan(&found); err != nil || found != want {
				t.Errorf("%q: %d found (%v), want %d", q, found, err, want)
			}
		}
		if err := d.CheckSearchIndex(ctx); err != nil {
			t.Error(err)
		}
	})

	t.Run("ContextDoneWhileQueued", func(t *testing.T) {
		d := openTestDB(t)
		release := holdWriter(t, d)
		cctx, cancel := context.WithCancel(ctx)
		ran := make(chan struct{}, 1)
		errc := make(chan error, 1)
		go func() {
			errc <- d.InTx(cctx, func(ctx context.Context, tx *sql.Tx) error { ran <- struct{}{}; return insertTag("cancelled")(ctx, tx) })
		}()
		waitQueued(t, d, 1)
		other := make(chan error, 1)
		go func() { other <- d.InTx(ctx, insertTag("other")) }()
		waitQueued(t, d, 2)
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled write returned %v, want context.Canceled", err)
		}
		release()
		if err := <-other; err != nil {
			t.Fatal(err)
		}
		select {
		case <-ran:
			t.Error("the cancelled write ran")
		default:
		}
		if tagStored(t, d, "cancelled") || !tagStored(t, d, "other") {
			t.Error("wrong rows stored")
		}
	})

	t.Run("ContextDoneWhileRunning", func(t *testing.T) {
		// A caller that gives up once its write runs changes nothing: the
		// write completes, commits with the others and is reported.
		d := openTestDB(t)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ctxs := []context.Context{ctx, cctx, ctx}
		fns := []func(ctx context.Context, tx *sql.Tx) error{
			insertTag("first"),
			func(ctx context.Context, tx *sql.Tx) error {
				if err := insertTag("cancelled")(ctx, tx); err != nil {
					return err
				}
				cancel() // the caller gives up halfway
				return insertTag("cancelled too")(ctx, tx)
			},
			insertTag("last"),
		}
		for i, err := range batch(t, d, ctxs, fns) {
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
		}
		for _, name := range []string{"first", "cancelled", "cancelled too", "last"} {
			if !tagStored(t, d, name) {
				t.Errorf("%q acknowledged but not stored", name)
			}
		}
	})

	t.Run("DoneContextFailsOnlyItsWrite", func(t *testing.T) {
		// A write using a context that is done fails at its next statement
		// and is undone, alone.
		d := openTestDB(t)
		cctx, cancel := context.WithCancel(ctx)
		fns := []func(ctx context.Context, tx *sql.Tx) error{
			insertTag("first"),
			func(_ context.Context, tx *sql.Tx) error {
				if err := insertTag("half")(cctx, tx); err != nil {
					return err
				}
				cancel()
				return insertTag("never")(cctx, tx)
			},
			insertTag("last"),
		}
		errs := batch(t, d, background(len(fns)), fns)
		if errs[0] != nil || errs[2] != nil {
			t.Fatalf("the other writes failed: %v, %v", errs[0], errs[2])
		}
		if !errors.Is(errs[1], context.Canceled) {
			t.Errorf("the write on a done context returned %v", errs[1])
		}
		if tagStored(t, d, "half") || tagStored(t, d, "never") {
			t.Error("the failed write was partly stored")
		}
		if !tagStored(t, d, "first") || !tagStored(t, d, "last") {
			t.Error("a write beside the failed one is missing")
		}
	})

	t.Run("BrokenTransactionAcknowledgesNothing", func(t *testing.T) {
		// A write that ends the shared transaction under the others (as an
		// interrupted statement or a full disk makes SQLite do): the writes
		// before it in the batch are not stored, so they must get an error;
		// those after it run in a transaction of their own.
		d := openTestDB(t)
		fns := []func(ctx context.Context, tx *sql.Tx) error{
			insertTag("before"),
			func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `ROLLBACK`)
				return err
			},
			insertTag("after"),
		}
		errs, n := batchN(t, d, background(len(fns)), fns)
		if n != 2 {
			t.Errorf("%d transactions, want 2 (the broken one, and one for the write after it)", n)
		}
		if !errors.Is(errs[0], core.ErrBatchAborted) || tagStored(t, d, "before") {
			t.Errorf("write before the break: err %v, stored %v; want an error and nothing stored", errs[0], tagStored(t, d, "before"))
		}
		if errs[1] == nil {
			t.Error("the breaking write succeeded")
		}
		if errs[2] != nil || !tagStored(t, d, "after") {
			t.Errorf("write after the break: err %v, stored %v; want it stored", errs[2], tagStored(t, d, "after"))
		}
	})

	t.Run("PanicReachesItsCaller", func(t *testing.T) {
		d := openTestDB(t)
		var got any
		func() {
			defer func() { got = recover() }()
			d.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error { panic("boom") })
		}()
		if got != "boom" {
			t.Errorf("recovered %v, want the fn's panic", got)
		}
		if err := d.InTx(ctx, insertTag("next")); err != nil || !tagStored(t, d, "next") {
			t.Errorf("the writer did not survive the panic: %v", err)
		}
	})

	t.Run("Closed", func(t *testing.T) {
		d := openTestDB(t)
		d.Close()
		if err := d.InTx(ctx, insertTag("late")); err == nil {
			t.Error("a write after Close succeeded")
		}
	})
}
