package searchtest

import (
	"context"
	"slices"
	"testing"

	"gloss/db"
	"gloss/db/storetest"
)

// copyAnnotation adds n copies of annotation a (same article, author,
// audience and anchor) with bodies "body 1".."body n", oldest first,
// through SQL: CreateAnnotation is too slow for thousands. The search
// triggers queue them for the index as they would any annotation, and
// FlushSearch applies the queue.
func copyAnnotation(t testing.TB, d storetest.Engine, a db.Annotation, n int, body string) {
	t.Helper()
	last, err := d.QueryInts(context.Background(), `SELECT MAX(id) FROM annotations`)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Exec(context.Background(), `
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO annotations (id, article_id, author_id, parent_id, body, body_html, visibility, group_id,
		       revision_id, pos_start, pos_end, exact, prefix, suffix,
		       anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at)
		SELECT ? + seq.i, article_id, author_id, parent_id, ? || ' ' || seq.i, '', visibility, group_id,
		       revision_id, pos_start, pos_end, exact, prefix, suffix,
		       anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at
		FROM annotations, seq WHERE annotations.id = ? ORDER BY seq.i`, n, last[0], body, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.FlushSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// allPages searches every page (and two past the last) and returns the
// hits, checking that pages past the end are empty, not errors.
func allPages(t *testing.T, d storetest.Engine, v db.Viewer, q string, f db.SearchFilter) (db.SearchResults, []db.SearchHit) {
	t.Helper()
	ctx := context.Background()
	first, err := d.Search(ctx, v, q, f, 1, db.MaxPerPage)
	if err != nil {
		t.Fatal(err)
	}
	checkResults(t, q, first)
	hits := first.Hits
	for page := 2; page <= first.Pages()+2; page++ {
		res, err := d.Search(ctx, v, q, f, page, db.MaxPerPage)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		checkResults(t, q, res)
		if page > first.Pages() && len(res.Hits) != 0 {
			t.Errorf("page %d of %d has %d hits", page, first.Pages(), len(res.Hits))
		}
		if res.Total != first.Total || res.TotalCapped != first.TotalCapped {
			t.Errorf("page %d: total %d (capped %v), page 1 said %d (%v)", page, res.Total, res.TotalCapped, first.Total, first.TotalCapped)
		}
		hits = append(hits, res.Hits...)
	}
	if res, err := d.Search(ctx, v, q, f, db.MaxSearchPage+7, db.MaxPerPage); err != nil || len(res.Hits) != 0 {
		t.Errorf("a page far past the end: %d hits, %v", len(res.Hits), err)
	}
	return first, hits
}

func TestSearchCountCap(t *testing.T) {
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	const over = 40 // more than the cap by this many
	pub := f.annotate(t, f.Author, f.Article, "asylum seekers", "okapi public 0", "public", "")
	copyAnnotation(t, f.DB, pub, db.SearchCountCap+over, "okapi public")
	priv := f.annotate(t, f.Author, f.Article, "asylum seekers", "okapi private 0", "private", "")
	copyAnnotation(t, f.DB, priv, db.SearchCountCap+over, "okapi private")
	grp := f.annotate(t, f.Author, f.Article, "asylum seekers", "okapi group 0", "group", "")
	copyAnnotation(t, f.DB, grp, 30, "okapi group")
	note := f.note(t, f.Author, f.b, "One okapi note", "public")

	// newest returns the ids of the newest n annotations whose body starts
	// with one of prefixes: what a capped window holds.
	newest := func(n int, prefixes ...string) []int64 {
		var ids []int64
		for _, p := range prefixes {
			got, err := f.DB.QueryInts(context.Background(), `SELECT id FROM annotations WHERE body LIKE ? || '%'`, p)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, got...)
		}
		slices.Sort(ids)
		slices.Reverse(ids)
		return ids[:min(n, len(ids))]
	}
	idsOf := func(hits []db.SearchHit, kind string) []int64 {
		var ids []int64
		for _, h := range hits {
			if h.Kind == kind {
				ids = append(ids, h.ID)
			}
		}
		slices.Sort(ids)
		slices.Reverse(ids)
		return ids
	}

	for _, tc := range []struct {
		name string
		v    db.Viewer
		sees []string // bodies the viewer may see
	}{
		{"Anonymous", db.Anonymous, []string{"okapi public"}},
		{"Outsider", f.Outsider, []string{"okapi public"}},
		{"Member", f.Member, []string{"okapi public", "okapi group"}},
		{"Author", f.Author, []string{"okapi public", "okapi private", "okapi group"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, hits := allPages(t, f.DB, tc.v, "okapi", db.SearchFilter{})
			if c := res.CountsByKind; c[db.KindAnnotation] != db.SearchCountCap || !res.CappedKinds[db.KindAnnotation] {
				t.Errorf("annotations: %d (capped %v), want %d+", c[db.KindAnnotation], res.CappedKinds[db.KindAnnotation], db.SearchCountCap)
			}
			if c := res.CountsByKind; c[db.KindNote] != 1 || res.CappedKinds[db.KindNote] || c[db.KindArticle] != 0 || res.CappedKinds[db.KindArticle] {
				t.Errorf("counts %v capped %v", c, res.CappedKinds)
			}
			if res.Total != db.SearchCountCap+1 || !res.TotalCapped {
				t.Errorf("total %d (capped %v)", res.Total, res.TotalCapped)
			}
			if len(hits) != res.Total {
				t.Errorf("%d hits on all pages, total %d", len(hits), res.Total)
			}
			// The window is the newest matches the viewer may see: nothing
			// else, however many pages.
			if got, want := idsOf(hits, db.KindAnnotation), newest(db.SearchCountCap, tc.sees...); !slices.Equal(got, want) {
				t.Errorf("annotations on all pages: %d, from %v to %v; want the newest %d visible", len(got), got[len(got)-1], got[0], len(want))
			}
			if got := idsOf(hits, db.KindNote); !slices.Equal(got, []int64{note.ID}) {
				t.Errorf("notes %v", got)
			}
			seen := map[string]bool{}
			for _, h := range hits {
				if seen[key(h)] {
					t.Errorf("%s on two pages", key(h))
				}
				seen[key(h)] = true
			}
		})
	}

	t.Run("KindFilters", func(t *testing.T) {
		res, hits := allPages(t, f.DB, f.Member, "okapi", db.SearchFilter{Kind: db.KindNote})
		if res.Total != 1 || res.TotalCapped || len(hits) != 1 || !res.CappedKinds[db.KindAnnotation] {
			t.Errorf("notes only: total %d (capped %v), %d hits, kinds capped %v", res.Total, res.TotalCapped, len(hits), res.CappedKinds)
		}
		res, hits = allPages(t, f.DB, f.Member, "okapi", db.SearchFilter{Kind: db.KindAnnotation})
		if res.Total != db.SearchCountCap || !res.TotalCapped || len(hits) != db.SearchCountCap {
			t.Errorf("annotations only: total %d (capped %v), %d hits", res.Total, res.TotalCapped, len(hits))
		}
	})
	t.Run("VisibilityFilter", func(t *testing.T) {
		// The author's private ones are more than the cap; nobody else's.
		res, hits := allPages(t, f.DB, f.Author, "okapi", db.SearchFilter{Visibility: "private"})
		if res.Total != db.SearchCountCap || !res.TotalCapped || !slices.Equal(idsOf(hits, db.KindAnnotation), newest(db.SearchCountCap, "okapi private")) {
			t.Errorf("author's private: total %d (capped %v)", res.Total, res.TotalCapped)
		}
		for _, v := range []db.Viewer{f.Member, f.Outsider, db.Anonymous} {
			if res, _ := allPages(t, f.DB, v, "okapi", db.SearchFilter{Visibility: "private"}); res.Total != 0 || res.TotalCapped {
				t.Errorf("viewer %d finds %d private annotations (capped %v)", v.UserID, res.Total, res.TotalCapped)
			}
		}
		res, hits = allPages(t, f.DB, f.Member, "okapi", db.SearchFilter{Visibility: "group"})
		if res.Total != 31 || res.TotalCapped || !slices.Equal(idsOf(hits, db.KindAnnotation), newest(31, "okapi group")) {
			t.Errorf("group ones: total %d (capped %v)", res.Total, res.TotalCapped)
		}
	})
	t.Run("HiddenNotCounted", func(t *testing.T) {
		// A group owner hides the newest group annotation: the member no
		// longer finds or counts it.
		newestGroup := newest(1, "okapi group")[0]
		if err := f.DB.Exec(context.Background(), `UPDATE annotations SET hidden_at = '2026-01-01T00:00:00Z', hidden_by = ? WHERE id = ?`, f.Author.UserID, newestGroup); err != nil {
			t.Fatal(err)
		}
		res, hits := allPages(t, f.DB, f.Member, "okapi", db.SearchFilter{Visibility: "group"})
		if res.Total != 30 || slices.Contains(idsOf(hits, db.KindAnnotation), newestGroup) {
			t.Errorf("after hiding: total %d", res.Total)
		}
		res, _ = allPages(t, f.DB, f.Author, "okapi", db.SearchFilter{Visibility: "group"})
		if res.Total != 31 {
			t.Errorf("the owner counts %d, want the hidden one too", res.Total)
		}
	})
	t.Run("RankedWithinWindow", func(t *testing.T) {
		// A better match (the word twice in a short body) among the newest
		// comes first.
		best := f.annotate(t, f.Member, f.Article, "asylum seekers", "okapi okapi", "public", "")
		res := mustSearch(t, f.DB, db.Anonymous, "okapi", db.SearchFilter{Kind: db.KindAnnotation})
		if len(res.Hits) == 0 || res.Hits[0].ID != best.ID {
			t.Errorf("first hit %v, want %d", keys(res)[:1], best.ID)
		}
	})
}
