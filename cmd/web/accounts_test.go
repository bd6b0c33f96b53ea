package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db/sqlite"
)

func TestUserAndTokenCommands(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	var out bytes.Buffer
	err := run(ctx, []string{"-db", dbPath, "user", "add", "--email", "a@example.org", "--name", "Ada", "--admin"},
		noEnv, strings.NewReader("a long enough password\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created administrator Ada <a@example.org>") {
		t.Errorf("output %q", out.String())
	}
	t.Run("ErrNoPassword", func(t *testing.T) {
		err := run(ctx, []string{"user", "add", "-db", dbPath, "-email", "b@example.org", "-name", "B"}, noEnv, strings.NewReader(""), &out)
		if err == nil || !strings.Contains(err.Error(), "standard input") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		err := run(ctx, []string{"user", "add", "-db", dbPath, "-email", "A@example.org", "-name", "Again"}, noEnv, strings.NewReader("another long password\n"), &out)
		if err == nil || !strings.Contains(err.Error(), "already an account") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrShortPassword", func(t *testing.T) {
		err := run(ctx, []string{"user", "add", "-db", dbPath, "-email", "c@example.org", "-name", "C"}, noEnv, strings.NewReader("short\n"), &out)
		if err == nil || !strings.Contains(err.Error(), "at least 10") {
			t.Errorf("err = %v", err)
		}
	})

	out.Reset()
	if err := run(ctx, []string{"token", "create", "-db", dbPath, "--email", "a@example.org", "--name", "script"}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByAPIToken(ctx, token)
	if err != nil || u.Email != "a@example.org" || !u.Admin {
		t.Fatalf("token %q: %+v, %v", token, u, err)
	}
	if _, err := store.Authenticate(ctx, "a@example.org", "a long enough password"); err != nil {
		t.Errorf("the stdin password does not sign in: %v", err)
	}
	t.Run("ErrUnknownEmail", func(t *testing.T) {
		err := run(ctx, []string{"token", "create", "-db", dbPath, "-email", "nobody@example.org", "-name", "x"}, noEnv, nil, &out)
		if err == nil || !strings.Contains(err.Error(), "no account") {
			t.Errorf("err = %v", err)
		}
	})
}
