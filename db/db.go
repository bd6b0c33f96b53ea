// Package db is Gloss's domain: its types (articles, annotations, notes,
// tags, collections, evidence, people, groups), coded errors, the viewer
// and the permission rules as Go, validation, and the store contract
// (store.go) that storage engines implement: db/sqlite today. It holds no
// SQL and knows nothing of HTTP.
package db

// Observer hears about the store's work. Methods are called on the
// goroutine doing the work, so they must be quick and safe for concurrent
// use.
type Observer interface {
	// WriteBatch: the writer committed (or tried to) one transaction
	// holding this many writes (group commit, writer.go).
	WriteBatch(writes int)
	// SearchWindow: a search read a window of this many matches from an
	// index ("articles", "annotations" or "notes"; search.go).
	SearchWindow(index string, matches int)
}
