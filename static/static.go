// Package static embeds Gloss's stylesheets, scripts and icons and names
// each by a hash of its content, so browsers may cache them for a year and
// still fetch a new version the moment it changes.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed css img js
var files embed.FS

// Asset is one embedded file.
type Asset struct {
	Name string // logical name, e.g. "css/app.css"
	Path string // URL path with the content hash, e.g. "/static/css/app.3f2a9c1d.css"
	Body []byte
}

var (
	byName = map[string]*Asset{}
	byPath = map[string]*Asset{}
)

func init() {
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		a := &Asset{Name: name, Body: body,
			Path: "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext}
		byName[name], byPath[a.Path] = a, a
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
}

// URL returns the hashed URL path of a logical asset name. It panics on an
// unknown name: that is a typo in a template, caught by any test that renders it.
func URL(name string) string {
	a, ok := byName[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return a.Path
}

// Lookup finds the asset served at a hashed URL path.
func Lookup(urlPath string) (*Asset, bool) {
	a, ok := byPath[urlPath]
	return a, ok
}
