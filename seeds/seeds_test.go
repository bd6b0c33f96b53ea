package seeds

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestLoadKeepsTextsByteForByte(t *testing.T) {
	arts, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 5 {
		t.Fatalf("got %d seed articles, want 5", len(arts))
	}
	for _, a := range arts {
		disk, err := os.ReadFile(filepath.Join(".", a.File))
		if err != nil {
			t.Fatal(err)
		}
		if a.Body != string(disk) {
			t.Errorf("%s: embedded body differs from the file", a.File)
		}
		if a.Slug == "" || a.Title == "" || a.Publication == "" || a.Published == "" {
			t.Errorf("%s: missing metadata: %+v", a.File, a)
		}
	}
}

func TestLoadRejectsInconsistentManifest(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"unlisted text": {
			"manifest.json": {Data: []byte(`{"articles":[]}`)},
			"a.txt":         {Data: []byte("x")},
		},
		"missing text": {
			"manifest.json": {Data: []byte(`{"articles":[{"file":"a.txt"}]}`)},
		},
		"unknown field": {
			"manifest.json": {Data: []byte(`{"articles":[{"file":"a.txt","titel":"x"}]}`)},
			"a.txt":         {Data: []byte("x")},
		},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := load(fsys); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
