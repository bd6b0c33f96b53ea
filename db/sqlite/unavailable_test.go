package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/db/storetest"
)

// fillDisk makes the writer's database unable to grow, as a full disk
// does: SQLite answers SQLITE_FULL to a write that needs a new page.
func fillDisk(t *testing.T, d *sqlite.Store) {
	t.Helper()
	var pages int
	if err := d.Writer().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Writer().Exec(fmt.Sprint(`PRAGMA max_page_count = `, pages)); err != nil {
		t.Fatal(err)
	}
}

func countAnnotations(t *testing.T, d *sqlite.Store) int {
	t.Helper()
	var n int
	if err := d.Reader().QueryRow(`SELECT count(*) FROM annotations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func checkIntact(t *testing.T, d *sqlite.Store) {
	t.Helper()
	var ok string
	if err := d.Reader().QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q, %v", ok, err)
	}
	if err := d.CheckSearchIndex(context.Background()); err != nil {
		t.Errorf("search index: %v", err)
	}
}

// TestWriteWhenTheDiskIsFull: a write the disk cannot take is refused with
// a message a person understands, leaves nothing half-written, and the next
// write after space is freed succeeds. The same for a read-only file.
func TestWriteWhenTheDiskIsFull(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	slugs, author := storetest.SeedLibrary(t, d)
	iht := slugs["help-the-refugees-who-reach-china"]
	in := db.AnnotationInput{Start: -1, End: -1, Exact: "Some 50,000 North Koreans are in China", Visibility: "public",
		Body: strings.Repeat("A long comment that needs room. ", 300), Tags: "figures, estimates"}

	fillDisk(t, d)
	var err error
	before := countAnnotations(t, d)
	for i := 0; i < 200 && err == nil; i++ {
		before = countAnnotations(t, d)
		_, err = d.CreateAnnotation(ctx, author, iht, in)
	}
	if db.ErrorCode(err) != db.EUNAVAILABLE || !strings.Contains(db.ErrorMessage(err), "disk is full") {
		t.Fatalf("writing to a full disk: code %q, message %q (%v)", db.ErrorCode(err), db.ErrorMessage(err), err)
	}
	if n := countAnnotations(t, d); n != before {
		t.Errorf("the refused write left %d annotations, want %d", n, before)
	}
	var orphanTags int
	if err := d.Reader().QueryRow(`SELECT count(*) FROM annotation_tags WHERE annotation_id NOT IN (SELECT id FROM annotations)`).Scan(&orphanTags); err != nil {
		t.Fatal(err)
	}
	if orphanTags != 0 {
		t.Errorf("%d tags of an annotation that was not saved", orphanTags)
	}
	checkIntact(t, d)
	if _, err := d.ArticleAnnotations(ctx, author, iht, db.AnnotationFilter{}); err != nil {
		t.Errorf("reading while the disk is full: %v", err)
	}

	if _, err := d.Writer().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateAnnotation(ctx, author, iht, in); err != nil {
		t.Fatalf("writing after space was freed: %v", err)
	}

	t.Run("ReadOnly", func(t *testing.T) {
		setQueryOnly(t, d.Writer(), true)
		before := countAnnotations(t, d)
		_, err := d.CreateAnnotation(ctx, author, iht, in)
		if db.ErrorCode(err) != db.EUNAVAILABLE || !strings.Contains(db.ErrorMessage(err), "read-only") {
			t.Fatalf("writing to a read-only file: code %q, message %q (%v)", db.ErrorCode(err), db.ErrorMessage(err), err)
		}
		setQueryOnly(t, d.Writer(), false)
		if n := countAnnotations(t, d); n != before {
			t.Errorf("the refused write left %d annotations, want %d", n, before)
		}
		checkIntact(t, d)
	})
}

func setQueryOnly(t *testing.T, w *sql.DB, on bool) {
	t.Helper()
	v := "OFF"
	if on {
		v = "ON"
	}
	if _, err := w.Exec(`PRAGMA query_only = ` + v); err != nil {
		t.Fatal(err)
	}
}
