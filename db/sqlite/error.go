package sqlite

import (
	"errors"

	"modernc.org/sqlite"

	"gloss/db"
)

func init() { db.RegisterCannotWrite(cannotWrite) }

// SQLite's primary result codes for a database that cannot take a write.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
)

// cannotWrite says why, when err is SQLite refusing a write because of the
// file or disk rather than the statement: "" otherwise. The transaction was
// rolled back, so nothing was half-written.
func cannotWrite(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Code() & 0xff {
	case sqliteFull:
		return "the server's disk is full"
	case sqliteReadOnly:
		return "its database file is read-only"
	case sqliteIOErr:
		return "its disk reported an error"
	}
	return ""
}
