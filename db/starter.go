package db

import "time"

// StarterSet is the starter set as the seeds describe it.
type StarterSet struct {
	Account    StarterAccount
	Entities   []StarterEntity
	Items      []StarterItem
	Collection *StarterCollection
}

// StarterAccount is the system account that writes the starter set.
type StarterAccount struct{ Email, Name string }

// StarterEntity is an entity the starter set names, with its other names.
type StarterEntity struct {
	Name    string
	Type    string
	Aliases []string
}

// StarterItem is one annotation of the starter set: a passage of a seed
// article (quoted exactly), its kind and fields, and a comment.
type StarterItem struct {
	Key         string
	ArticleSlug string
	Passage     string
	Comment     string
	Evidence    EvidenceInput
}

// StarterCollection is the example collection: text items, and passages
// that are starter items' (each shown with its annotation under it).
type StarterCollection struct {
	Key   string
	Title string
	Intro string
	Items []StarterCollectionItem
}

// StarterCollectionItem is a heading and commentary, or (Passage, a
// starter item's key) that item's passage with commentary.
type StarterCollectionItem struct {
	Heading    string
	Commentary string
	Passage    string
}

// StarterReport says what an import of the starter set did.
type StarterReport struct {
	Removed bool // an administrator removed the set: nothing was imported
	Added   int  // items (annotations and the collection) added now
	Kept    int  // already there
	Gone    int  // imported once and deleted since: not brought back
}

// StarterStatus is the starter set as the admin page shows it.
type StarterStatus struct {
	Imported    bool
	AccountName string
	Annotations int // the set's annotations still there
	Collections int
	RemovedAt   time.Time
	RemovedBy   string
}

func (r *StarterReport) Count(added, gone bool) {
	switch {
	case added:
		r.Added++
	case gone:
		r.Gone++
	default:
		r.Kept++
	}
}

// StarterRemoval says what RemoveStarter removed.
type StarterRemoval struct {
	Annotations int
	Collections int
	Entities    int
}
