package postgres

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestExplainPassword: a refused password (which the tests' trusting
// cluster never refuses) is said as such.
func TestExplainPassword(t *testing.T) {
	err := fmt.Errorf("failed to connect: %w", &pgconn.PgError{Code: "28P01", Message: "password authentication failed for user gloss"})
	msg := explain("postgres gloss@db:5432/gloss", err).Error()
	if !strings.Contains(msg, "refused the password") || !strings.Contains(msg, "GLOSS_DB") {
		t.Errorf("%q", msg)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://gloss:s3cret@db:5432/gloss?sslmode=require": "postgres://gloss:…@db:5432/gloss?sslmode=require",
		"postgres://gloss@db/gloss":                             "postgres://gloss@db/gloss",
		"postgresql://u:p@h/d":                                  "postgresql://u:…@h/d",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
