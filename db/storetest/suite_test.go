package storetest

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestSuiteIsComplete: every Test function of the package is in suite, so
// that no contract test is written and never run.
func TestSuiteIsComplete(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range suite {
		listed[c.name] = true
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
