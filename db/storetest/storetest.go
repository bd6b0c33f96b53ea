// Package storetest is the store contract's suite: the behaviour every
// storage engine must show (permissions, anchoring on revisions, search
// semantics and windows, counts, moderation, collections, evidence,
// failure paths), written against the db interfaces. An engine's tests
// run it with Run and a way to open a fresh, empty store.
package storetest

import (
	"context"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gloss/db"
)

// Engine is a store under test, with the few extras the suite needs.
type Engine interface {
	db.Store
	// SetClock replaces the clock the store stamps what it writes with.
	SetClock(now func() time.Time)
	// Exec and QueryInts run standard SQL, with ? for parameters, for the
	// few checks the suite makes behind the store's back (bulk rows, what
	// is stored of a secret).
	Exec(ctx context.Context, query string, args ...any) error
	QueryInts(ctx context.Context, query string, args ...any) ([]int64, error)
	// CheckQuery runs a search query, as the query parser translates it
	// for this engine, through each of its indexes: an error if an index
	// refuses it.
	CheckQuery(ctx context.Context, q string) error
}

// Opener opens a fresh, empty, migrated store for one test; the engine
// closes it when the test ends.
type Opener func(tb testing.TB) Engine

var open Opener

// MustOpenDB opens a fresh store of the engine under test.
func MustOpenDB(tb testing.TB) Engine {
	tb.Helper()
	if open == nil {
		tb.Fatal("storetest: no engine: call storetest.Run")
	}
	return open(tb)
}

// Run runs the whole suite against the engine that opener opens, each
// test as a subtest. Tests run one after another.
func Run(t *testing.T, opener Opener) { RunCases(t, opener, suite) }

// A Case is one contract test, run as a subtest under its name.
type Case struct {
	Name string
	Test func(*testing.T)
}

// RunCases runs cases against the engine that opener opens (MustOpenDB
// opens it for them), each as a subtest, one after another: Run's suite,
// or that of a package of the contract's own (searchtest).
func RunCases(t *testing.T, opener Opener, cases []Case) {
	open = opener
	defer func() { open = nil }()
	for _, c := range cases {
		t.Run(c.Name, c.Test)
	}
}

// CheckComplete fails t unless every Test function of the non-test files
// in the current directory (the package under test) is in cases, so that
// no contract test is written and never run.
func CheckComplete(t *testing.T, cases []Case) {
	t.Helper()
	listed := map[string]bool{}
	for _, c := range cases {
		listed[c.Name] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, obj := range file.Scope.Objects {
			if name, ok := strings.CutPrefix(obj.Name, "Test"); ok && obj.Kind.String() == "func" && !listed[name] {
				t.Errorf("%s (%s) is not in suite", obj.Name, f)
			}
		}
	}
}

// QueryInt is the one number a query answers.
func QueryInt(tb testing.TB, e Engine, query string, args ...any) int64 {
	tb.Helper()
	ns, err := e.QueryInts(context.Background(), query, args...)
	if err != nil {
		tb.Fatal(err)
	}
	if len(ns) != 1 {
		tb.Fatalf("%s: %d rows, want 1", query, len(ns))
	}
	return ns[0]
}

// For engines' own tests, which use the suite's fixtures.

// MustUser makes an account.
func MustUser(tb testing.TB, e Engine, email, name string, admin bool) db.User {
	tb.Helper()
	return mustUser(tb, e, email, name, admin)
}

// SeedLibrary imports the five seed articles into e and returns their ids
// by slug, with the viewer of an account made for the test.
func SeedLibrary(tb testing.TB, e Engine) (ids map[string]int64, author db.Viewer) {
	tb.Helper()
	ctx := context.Background()
	ids = map[string]int64{}
	for _, in := range seedInputs(tb) {
		if _, err := e.ImportArticle(ctx, in); err != nil {
			tb.Fatal(err)
		}
		a, err := e.ArticleBySlug(ctx, in.Slug)
		if err != nil {
			tb.Fatal(err)
		}
		ids[in.Slug] = a.ID
	}
	v, err := e.ViewerFor(ctx, mustUser(tb, e, "author@example.org", "Author", false))
	if err != nil {
		tb.Fatal(err)
	}
	return ids, v
}
