package seeds

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
)

func openSeeded(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := Import(ctx, store, nil); err != nil {
		t.Fatal(err)
	}
	return store
}

func TestStarterSet(t *testing.T) {
	ctx := context.Background()
	store := openSeeded(t)
	set, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	total := len(set.Items) + 1 // and the collection

	rep, err := ImportStarter(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != total || rep.Kept != 0 || rep.Removed {
		t.Fatalf("first import: %+v, want %d added", rep, total)
	}

	t.Run("PublicAndInTheViews", func(t *testing.T) {
		groups, err := store.Figures(ctx, db.Anonymous, db.EvidenceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var inChina int
		for _, g := range groups {
			if g.Counted == "North Koreans in China" && g.Unit == "people" {
				inChina = len(g.Figures)
				for _, f := range g.Figures {
					if f.AuthorName != "Gloss starter set" {
						t.Errorf("figure %d written by %q", f.AnnotationID, f.AuthorName)
					}
				}
			}
		}
		if inChina != 7 {
			t.Errorf("a signed-out reader sees %d estimates of North Koreans in China, want 7", inChina)
		}
		ents, err := store.Entities(ctx, db.Anonymous, false)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, e := range ents {
			names[e.Name] = true
		}
		for _, n := range []string{"UNHCR", "Hazel Smith", "Joel R. Charny", "International aid groups", "Beijing"} {
			if !names[n] {
				t.Errorf("Voices lacks %s", n)
			}
		}
		events, err := store.EvidenceItems(ctx, db.Anonymous, db.EvidenceFilter{Kind: db.KindEvent})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 10 {
			t.Errorf("%d events on the timeline, want 10", len(events))
		}
	})

	t.Run("AliasesFromTheSet", func(t *testing.T) {
		ents, err := store.EntityChoices(ctx, db.Viewer{UserID: 999, Admin: true}, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name == "UNHCR" {
				full, err := store.EntityByID(ctx, db.Viewer{UserID: 999, Admin: true}, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(strings.Join(full.Aliases, "|"), "UN High Commissioner for Refugees") {
					t.Errorf("UNHCR's aliases: %v", full.Aliases)
				}
				return
			}
		}
		t.Error("no UNHCR")
	})

	t.Run("SystemAccountCannotSignIn", func(t *testing.T) {
		for _, pw := range []string{"", "anything at all"} {
			if _, err := store.Authenticate(ctx, "starter-set@gloss.invalid", pw); db.ErrorCode(err) != db.EUNAUTHORIZED {
				t.Errorf("sign-in as the starter set with %q: %v, want refused", pw, err)
			}
		}
	})

	t.Run("ExampleCollection", func(t *testing.T) {
		someone := db.Viewer{UserID: 12345, Name: "Someone"}
		list, err := store.Collections(ctx, someone)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Title != "How many North Koreans are in China?" || !list[0].Example {
			t.Fatalf("a signed-in person's collections: %+v", list)
		}
		c, err := store.CollectionByID(ctx, someone, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		passages := 0
		for _, it := range c.Items {
			if it.Kind == db.ItemPassage {
				passages++
				if len(it.Annotations) != 1 {
					t.Errorf("item %d: %d annotations under it, want its figure", it.Position, len(it.Annotations))
				}
			}
		}
		if passages != 5 || len(c.Items) != 7 {
			t.Errorf("%d items, %d passages, want 7 and 5", len(c.Items), passages)
		}
		if err := someone.EditCollection(c.Access()); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("editing the example: %v, want forbidden", err)
		}
		if _, err := store.CollectionByID(ctx, db.Anonymous, c.ID); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("signed out: %v", err)
		}
	})

	t.Run("ImportAgainKeepsIt", func(t *testing.T) {
		rep, err := ImportStarter(ctx, store)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 0 || rep.Kept != total {
			t.Errorf("second import: %+v, want everything kept", rep)
		}
	})

	t.Run("DeletedItemStaysDeleted", func(t *testing.T) {
		var id int64
		if err := store.Writer().QueryRowContext(ctx, `SELECT annotation_id FROM starter_items WHERE key = 'quote/004/zhang-qiyue'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Writer().ExecContext(ctx, `DELETE FROM annotations WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		if err := store.FlushSearch(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := ImportStarter(ctx, store)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 0 || rep.Gone != 1 || rep.Kept != total-1 {
			t.Errorf("import after a deletion: %+v, want the deleted one gone and not added", rep)
		}
	})

	t.Run("OnlyAdministratorsRemoveIt", func(t *testing.T) {
		if _, err := store.RemoveStarter(ctx, db.Viewer{UserID: 12345, Name: "Someone"}); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a member removing the starter set: %v", err)
		}
	})

	t.Run("RemovedStaysRemoved", func(t *testing.T) {
		admin := db.Viewer{UserID: 999, Name: "Ada Admin", Admin: true}
		got, err := store.RemoveStarter(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if got.Annotations != len(set.Items)-1 || got.Collections != 1 || got.Entities == 0 {
			t.Errorf("removed %+v", got)
		}
		st, err := store.StarterStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.RemovedAt.IsZero() || st.RemovedBy != "Ada Admin" || st.Annotations != 0 {
			t.Errorf("status after removal: %+v", st)
		}
		if _, err := store.RemoveStarter(ctx, admin); db.ErrorCode(err) != db.ECONFLICT {
			t.Errorf("removing twice: %v, want a conflict", err)
		}
		rep, err := ImportStarter(ctx, store)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Removed || rep.Added != 0 {
			t.Errorf("import after removal: %+v", rep)
		}
		groups, err := store.Figures(ctx, db.Anonymous, db.EvidenceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 0 {
			t.Errorf("figures after removal: %d groups", len(groups))
		}
	})
}

// TestStarterAgreesWithGold: the starter set and the extractors' gold file
// were labelled apart; every starter figure's values must be those the gold
// file gives a figure inside its passage.
func TestStarterAgreesWithGold(t *testing.T) {
	set, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	arts, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("..", "db", "suggest", "testdata", "gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold struct {
		Articles []struct {
			File    string `json:"file"`
			Figures []struct {
				Text string  `json:"text"`
				Low  float64 `json:"low"`
				High float64 `json:"high"`
			} `json:"figures"`
		} `json:"articles"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatal(err)
	}
	fileOf := map[string]string{}
	for _, a := range arts {
		fileOf[a.Slug] = a.File
	}
	for _, it := range set.Items {
		if it.Evidence.Kind != db.KindFigure {
			continue
		}
		low, err := db.ParseFigure("low", it.Evidence.Low)
		if err != nil {
			t.Fatal(err)
		}
		high := low
		if it.Evidence.High != "" {
			if high, err = db.ParseFigure("high", it.Evidence.High); err != nil {
				t.Fatal(err)
			}
		}
		found := false
		for _, ga := range gold.Articles {
			if ga.File != fileOf[it.ArticleSlug] {
				continue
			}
			for _, f := range ga.Figures {
				inside := strings.Contains(it.Passage, f.Text) || strings.Contains(f.Text, it.Passage)
				if inside && f.Low == low && f.High == high {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no figure of the gold file in %q with the values %v-%v", it.Key, it.Passage, low, high)
		}
	}
}

func TestParseStarterRefusesBadFiles(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":        `{"items":[{"key":"a","colour":"red"}]}`,
		"key twice":            `{"items":[{"key":"a"},{"key":"a"}]}`,
		"collection of nought": `{"items":[{"key":"a"}],"collection":{"key":"c","items":[{"passage":"b"}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseStarter([]byte(doc)); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
