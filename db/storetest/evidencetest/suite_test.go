package evidencetest

import (
	"testing"

	"gloss/db/storetest"
)

// TestSuiteIsComplete: every Test function of the package is in suite, so
// that no evidence contract test is written and never run.
func TestSuiteIsComplete(t *testing.T) { storetest.CheckComplete(t, suite) }
