package seeds

import (
	"context"
	"fmt"

	"gloss/db"
)

// Input is the seed as the store's import input.
func (a Article) Input() db.ArticleInput {
	return db.ArticleInput{
		Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors,
		PublishedOn: a.Published, Dek: a.Dek, Summary: a.Summary, SourceNote: a.SourceNote, Body: a.Body,
		Furniture: a.Furniture,
	}
}

// Import brings every seed article into the store. It is idempotent: an
// unchanged seed is left alone, a changed text becomes a new revision.
// report, if not nil, is told what happened to each article.
func Import(ctx context.Context, store db.Store, report func(slug string, outcome db.ImportOutcome)) error {
	arts, err := Load()
	if err != nil {
		return err
	}
	for _, a := range arts {
		outcome, err := store.ImportArticle(ctx, a.Input())
		if err != nil {
			return fmt.Errorf("seed %s: %w", a.File, err)
		}
		if report != nil {
			report(a.Slug, outcome)
		}
	}
	return nil
}
