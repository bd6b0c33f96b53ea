package db

// Snapshot describes a checked database file.
type Snapshot struct {
	Path          string
	Size          int64
	SchemaVersion int // the file's schema version
	KnownVersion  int // the newest schema this binary knows
}

// Restored says what Restore did.
type Restored struct {
	Snapshot
	// Previous is where the replaced database was kept ("" when there was none).
	Previous string
}
