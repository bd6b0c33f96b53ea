// Package migrations holds Gloss's schema as numbered, append-only SQL files
// (NNNN_name.sql). The db package applies them in order at start.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
