package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
)

// TestDatabaseFilesArePrivate (issue 15, finding 10): the database and the
// -wal and -shm files beside it are created readable by their owner only,
// whatever the umask (the usual 022, and 0).
func TestDatabaseFilesArePrivate(t *testing.T) {
	for _, mask := range []int{0o022, 0} {
		old := syscall.Umask(mask)
		path := filepath.Join(t.TempDir(), "gloss.db")
		d, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.CreateUser(context.Background(), db.NewUser{Email: "ada@example.org", Name: "Ada", Password: "a long enough password"}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if mode := fi.Mode().Perm(); mode != 0o600 {
				t.Errorf("umask %03o: %s has mode %o, want 600", mask, filepath.Base(p), mode)
			}
		}
		d.Close()
		syscall.Umask(old)
	}
}
