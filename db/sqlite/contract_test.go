package sqlite_test

import (
	"testing"

	"gloss/db/storetest"
)

// opener opens a fresh SQLite file in the test's temporary directory.
func opener(tb testing.TB) storetest.Engine { return MustOpenDB(tb) }

// TestContract runs the store contract on SQLite.
func TestContract(t *testing.T) { storetest.Run(t, opener) }

// FuzzSearch fuzzes search on SQLite (storetest.FuzzSearch).
func FuzzSearch(f *testing.F) { storetest.FuzzSearch(f, opener) }

// TestCopy copies a library from one SQLite file to another (web copy-db).
func TestCopy(t *testing.T) { storetest.CopyBetween(t, MustOpenDB, MustOpenDB) }
