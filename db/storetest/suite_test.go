package storetest

import "testing"

// TestSuiteIsComplete: every Test function of the package is in suite, so
// that no contract test is written and never run.
func TestSuiteIsComplete(t *testing.T) { CheckComplete(t, suite) }
