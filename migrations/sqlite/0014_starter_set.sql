-- The starter set (seeds/starter.json): curated public evidence for the
-- seed articles and an example collection, imported with the seeds and
-- written by a system account that cannot sign in (its password_hash is
-- ''). Each item is remembered by its key, so importing again adds only
-- what is new; a row whose annotation, collection or entity is gone stays,
-- so nothing deleted comes back. An administrator's removal of the whole
-- set is remembered in starter_state, and then nothing is imported at all.
CREATE TABLE starter_items (
    key           TEXT PRIMARY KEY,
    annotation_id INTEGER REFERENCES annotations (id) ON DELETE SET NULL,
    collection_id INTEGER REFERENCES collections (id) ON DELETE SET NULL,
    entity_id     INTEGER REFERENCES entities (id) ON DELETE SET NULL,
    imported_at   TEXT    NOT NULL
);
CREATE INDEX starter_items_annotation_idx ON starter_items (annotation_id);

CREATE TABLE starter_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    account_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    removed_at TEXT,                      -- set when an administrator removed the set
    removed_by TEXT    NOT NULL DEFAULT '' -- their name, kept if their account goes
);

-- An example collection (the starter set's lesson) may be read by every
-- signed-in person, who may duplicate it; only its owner may change it.
ALTER TABLE collections ADD COLUMN example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1));
