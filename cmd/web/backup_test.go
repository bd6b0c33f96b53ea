package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "gloss.db")
	backup := filepath.Join(dir, "backup.db")
	runOut := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(args, "-db", dbPath), noEnv, nil, &out)
		return out.String(), err
	}
	if _, err := runOut("seed"); err != nil {
		t.Fatal(err)
	}

	// The server runs while the backup is taken.
	startServer(t, dbPath)
	out, err := runOut("backup", backup)
	if err != nil || !strings.Contains(out, "backed up") || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if _, err := runOut("backup", backup); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if out, err := runOut("backup", backup, "-force"); err != nil || !strings.Contains(out, "backed up") {
		t.Errorf("backup -force after the path: %q %v", out, err)
	}
	if _, err := runOut("backup"); err == nil || !strings.Contains(err.Error(), "usage: web backup") {
		t.Errorf("backup without a path: %v", err)
	}
	if _, err := runOut("restore", backup); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore while the server runs: %v", err)
	}
}

func TestRestoreCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "gloss.db")
	var out bytes.Buffer
	if err := run(ctx, []string{"seed", "-db", dbPath}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := run(ctx, []string{"backup", "-db", dbPath, backup}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	// A change after the backup, which the restore undoes.
	d, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "after-backup", Title: "T", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database"), 0o600)
	if err := run(ctx, []string{"restore", "-db", dbPath, notDB}, noEnv, nil, &out); err == nil || !strings.Contains(err.Error(), "not an SQLite database") {
		t.Errorf("restore of a text file: %v", err)
	}

	out.Reset()
	if err := run(ctx, []string{"restore", "-db", dbPath, backup}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "restored") || !strings.Contains(out.String(), ".before-restore-") {
		t.Errorf("output %q", out.String())
	}
	d, err = sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ArticleBySlug(ctx, "after-backup"); db.ErrorCode(err) != db.ENOTFOUND {
		t.Error("the restore did not replace the data")
	}
	if n, _ := d.ArticleCount(ctx); n != 5 {
		t.Errorf("%d articles after restore", n)
	}
}
