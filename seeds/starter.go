package seeds

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"gloss/db"
)

//go:embed starter.json
var starterJSON []byte

// starterFile is seeds/starter.json: the starter set, its fields named as
// the annotate form names them.
type starterFile struct {
	About   string `json:"about"`
	Account struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"account"`
	Entities []struct {
		Name    string   `json:"name"`
		Type    string   `json:"type"`
		Aliases []string `json:"aliases"`
	} `json:"entities"`
	Items      []starterItem `json:"items"`
	Collection *struct {
		Key   string `json:"key"`
		Title string `json:"title"`
		Intro string `json:"intro"`
		Items []struct {
			Heading    string `json:"heading"`
			Commentary string `json:"commentary"`
			Passage    string `json:"passage"`
		} `json:"items"`
	} `json:"collection"`
}

type starterItem struct {
	Key       string `json:"key"`
	Article   string `json:"article"`
	Passage   string `json:"passage"`
	Comment   string `json:"comment"`
	Kind      string `json:"kind"`
	Entity    string `json:"entity"`
	Speaker   string `json:"speaker"`
	Low       string `json:"low"`
	High      string `json:"high"`
	Unit      string `json:"unit"`
	Counted   string `json:"counted"`
	RefDate   string `json:"ref_date"`
	Estimator string `json:"estimator"`
	DateFrom  string `json:"date_from"`
	DateTo    string `json:"date_to"`
	Place     string `json:"place"`
}

// Starter reads the starter set from the embedded starter.json.
func Starter() (db.StarterSet, error) { return parseStarter(starterJSON) }

func parseStarter(raw []byte) (db.StarterSet, error) {
	var f starterFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return db.StarterSet{}, fmt.Errorf("seeds: starter.json: %w", err)
	}
	set := db.StarterSet{Account: db.StarterAccount{Email: f.Account.Email, Name: f.Account.Name}}
	for _, e := range f.Entities {
		set.Entities = append(set.Entities, db.StarterEntity{Name: e.Name, Type: e.Type, Aliases: e.Aliases})
	}
	keys := map[string]bool{}
	for _, it := range f.Items {
		if it.Key == "" || keys[it.Key] {
			return set, fmt.Errorf("seeds: starter.json: item key %q is empty or used twice", it.Key)
		}
		keys[it.Key] = true
		set.Items = append(set.Items, db.StarterItem{
			Key: it.Key, ArticleSlug: it.Article, Passage: it.Passage, Comment: it.Comment,
			Evidence: db.EvidenceInput{Kind: it.Kind, Entity: it.Entity, Speaker: it.Speaker, Low: it.Low, High: it.High,
				Unit: it.Unit, Counted: it.Counted, RefDate: it.RefDate, Estimator: it.Estimator,
				DateFrom: it.DateFrom, DateTo: it.DateTo, Place: it.Place},
		})
	}
	if c := f.Collection; c != nil {
		sc := &db.StarterCollection{Key: c.Key, Title: c.Title, Intro: c.Intro}
		for _, ci := range c.Items {
			if ci.Passage != "" && !keys[ci.Passage] {
				return set, fmt.Errorf("seeds: starter.json: the collection shows %q, which is no item's key", ci.Passage)
			}
			sc.Items = append(sc.Items, db.StarterCollectionItem{Heading: ci.Heading, Commentary: ci.Commentary, Passage: ci.Passage})
		}
		set.Collection = sc
	}
	return set, nil
}

// ImportStarter brings the starter set into the store, after the seed
// articles (Import). It is idempotent, and does nothing once an
// administrator has removed the set.
func ImportStarter(ctx context.Context, store db.Store) (db.StarterReport, error) {
	set, err := Starter()
	if err != nil {
		return db.StarterReport{}, err
	}
	return store.ImportStarter(ctx, set)
}
