// Package seeds embeds the starting corpus: the article texts exactly as
// collected, and manifest.json with the metadata read off each one.
package seeds

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

//go:embed *.txt manifest.json
var files embed.FS

// Article is one seed: its metadata and its text, byte for byte.
type Article struct {
	File        string   `json:"file"`
	Slug        string   `json:"slug"`
	Title       string   `json:"title"`
	Publication string   `json:"publication"`
	Authors     []string `json:"authors"`
	Published   string   `json:"published"`
	Dek         string   `json:"dek"`
	Summary     string   `json:"summary"`
	SourceNote  string   `json:"source_note"`
	// Furniture quotes the lines that came with the source page rather
	// than the article (db.ArticleInput.Furniture).
	Furniture []string `json:"furniture,omitempty"`
	Body      string   `json:"-"`
}

// Load reads the manifest and every text it names from the embedded files.
func Load() ([]Article, error) { return load(files) }

func load(fsys fs.FS) ([]Article, error) {
	raw, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	var m struct {
		About    string    `json:"about"`
		Articles []Article `json:"articles"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("seeds: manifest.json: %w", err)
	}
	listed := map[string]bool{}
	for i, a := range m.Articles {
		if listed[a.File] {
			return nil, fmt.Errorf("seeds: %s is listed twice", a.File)
		}
		listed[a.File] = true
		body, err := fs.ReadFile(fsys, a.File)
		if err != nil {
			return nil, fmt.Errorf("seeds: %w", err)
		}
		m.Articles[i].Body = string(body)
	}
	texts, _ := fs.Glob(fsys, "*.txt")
	for _, t := range texts {
		if !listed[t] {
			return nil, fmt.Errorf("seeds: %s has no entry in manifest.json", t)
		}
	}
	return m.Articles, nil
}
