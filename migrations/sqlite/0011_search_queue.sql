-- Annotations and notes reach their search indexes at commit, not with each
-- write. A write in the group commit (db/writer.go) runs in a savepoint, and
-- FTS5 flushes its pending terms to a new segment at every savepoint: a
-- segment a write, then merging them, was a fifth of what a create cost.
-- The triggers now queue what the index must do; the writer applies the
-- queue in order just before its COMMIT (db.flushSearch), in the same
-- transaction, so a committed write is always searchable and a write rolled
-- back to its savepoint takes its queued changes with it. Articles are
-- written rarely and keep their triggers (0004).
CREATE TABLE search_queue (
    seq    INTEGER PRIMARY KEY,
    tbl    TEXT    NOT NULL CHECK (tbl IN ('annotations', 'notes')),
    remove INTEGER NOT NULL CHECK (remove IN (0, 1)), -- 1: remove these values from the index
    doc    INTEGER NOT NULL,                           -- the row's id
    body   TEXT,
    exact  TEXT
);

DROP TRIGGER search_annotations_insert;
DROP TRIGGER search_annotations_update;
DROP TRIGGER search_annotations_delete;
DROP TRIGGER search_notes_insert;
DROP TRIGGER search_notes_update;
DROP TRIGGER search_notes_delete;

CREATE TRIGGER search_annotations_insert AFTER INSERT ON annotations
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body, exact) VALUES ('annotations', 0, new.id, new.body, new.exact);
END;

-- With external content, a removal must name exactly the values indexed.
CREATE TRIGGER search_annotations_update AFTER UPDATE OF body, exact ON annotations
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body, exact) VALUES ('annotations', 1, old.id, old.body, old.exact);
    INSERT INTO search_queue (tbl, remove, doc, body, exact) VALUES ('annotations', 0, new.id, new.body, new.exact);
END;

-- Also fires for rows removed by ON DELETE CASCADE.
CREATE TRIGGER search_annotations_delete AFTER DELETE ON annotations
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body, exact) VALUES ('annotations', 1, old.id, old.body, old.exact);
END;

CREATE TRIGGER search_notes_insert AFTER INSERT ON notes
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body) VALUES ('notes', 0, new.id, new.body);
END;

CREATE TRIGGER search_notes_update AFTER UPDATE OF body ON notes
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body) VALUES ('notes', 1, old.id, old.body);
    INSERT INTO search_queue (tbl, remove, doc, body) VALUES ('notes', 0, new.id, new.body);
END;

CREATE TRIGGER search_notes_delete AFTER DELETE ON notes
BEGIN
    INSERT INTO search_queue (tbl, remove, doc, body) VALUES ('notes', 1, old.id, old.body);
END;
