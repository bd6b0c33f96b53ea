// Package evidencetest is the store contract's evidence suite: figures,
// entities and their aliases, events and the timeline, evidence through
// export and import, kind changes and orphaned evidence, written against
// the db interfaces with storetest's fixtures. An engine's contract test
// runs it with Run, after storetest.Run.
package evidencetest

import (
	"testing"

	"gloss/db/storetest"
)

// Run runs the evidence suite against the engine that opener opens, each
// test as a subtest. Tests run one after another.
func Run(t *testing.T, opener storetest.Opener) { storetest.RunCases(t, opener, suite) }
