// Package searchtest is the store contract's search suite: query syntax,
// hits and snippets, permissions, filters, pages, count caps, the index
// following writes, and what people mean (stems, tags, CJK, suggestions),
// written against the db interfaces with storetest's fixtures. An engine's
// contract test runs it with Run, after storetest.Run.
package searchtest

import (
	"testing"

	"gloss/db/storetest"
)

// Run runs the search suite against the engine that opener opens, each
// test as a subtest. Tests run one after another.
func Run(t *testing.T, opener storetest.Opener) { storetest.RunCases(t, opener, suite) }
