-- Annotation ids are IRIs in the W3C API (/annotations/{id}) and must never
-- be reused after a delete, which SQLite's rowid would do for the newest
-- row. The high-water mark is kept here; every insert takes the next one.
CREATE TABLE id_counters (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT INTO id_counters (name, last) SELECT 'annotations', COALESCE(MAX(id), 0) FROM annotations;
