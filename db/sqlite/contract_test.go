package sqlite_test

import (
	"testing"

	"gloss/db/storetest"
	"gloss/db/storetest/evidencetest"
	"gloss/db/storetest/searchtest"
)

// opener opens a fresh SQLite file in the test's temporary directory.
func opener(tb testing.TB) storetest.Engine { return MustOpenDB(tb) }

// TestContract runs the store contract on SQLite: storetest's suite, then
// evidencetest's and searchtest's.
func TestContract(t *testing.T) {
	storetest.Run(t, opener)
	evidencetest.Run(t, opener)
	searchtest.Run(t, opener)
}

// FuzzSearch fuzzes search on SQLite (searchtest.FuzzSearch).
func FuzzSearch(f *testing.F) { searchtest.FuzzSearch(f, opener) }

// TestCopy copies a library from one SQLite file to another (web copy-db).
func TestCopy(t *testing.T) { storetest.CopyBetween(t, MustOpenDB, MustOpenDB) }
