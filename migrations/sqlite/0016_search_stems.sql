-- Search that finds what people mean (issue 20): word forms (stems), tag
-- names and evidence, words inside Korean, Chinese and Japanese text, and
-- filters (tags, kinds, groups) narrowed in the index itself.
--
-- Gloss now tokenizes in Go (db/searchquery: Tokens), and each index holds
-- what Go made of a field: its words as written, folded (one column), their
-- Porter stems at the same positions (another), and CJK runs as pairs of
-- characters in both. FTS5 only splits that on spaces ('ascii'). The
-- indexes keep no text of their own and forget a row by its id
-- (contentless_delete), so a row is reindexed from what it is now, never
-- from what it was: changes to its tags, its thread's tags, its evidence,
-- an entity's names or a tag's name only need to queue the row.
--
-- keys holds an item's filters as tokens (searchquery.TagKey and the
-- others): its kind, evidence kind, audience, group, author and tags (a
-- reply: its thread's), so that "refugees in group 7" or "tagged numbers"
-- is one FTS5 AND that skips through both lists, not a set built first.
--
-- The migration runner rebuilds the indexes after this file (migrate.go:
-- rebuildSearch), in the same transaction, with progress in the log.

DROP TRIGGER search_articles_title;
DROP TRIGGER search_articles_delete;
DROP TRIGGER search_revisions_insert;
DROP TRIGGER search_revisions_update;
DROP TRIGGER search_revisions_delete;
DROP TRIGGER search_annotations_insert;
DROP TRIGGER search_annotations_update;
DROP TRIGGER search_annotations_delete;
DROP TRIGGER search_notes_insert;
DROP TRIGGER search_notes_update;
DROP TRIGGER search_notes_delete;
DROP TABLE search_articles_vocab;
DROP TABLE search_annotations_vocab;
DROP TABLE search_notes_vocab;
DROP TABLE search_articles;
DROP TABLE search_annotations;
DROP TABLE search_notes;
DROP TABLE search_queue;

-- meta: tag names (an annotation's, an article's) and the names and
-- aliases of the entities an annotation's evidence names, with a figure's
-- "counted" and unit. Columns ending _s hold the stems.
CREATE VIRTUAL TABLE search_articles USING fts5 (
    title, body, meta, title_s, body_s, meta_s, keys,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);
CREATE VIRTUAL TABLE search_annotations USING fts5 (
    body, quote, meta, body_s, quote_s, meta_s, keys,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);
CREATE VIRTUAL TABLE search_notes USING fts5 (
    body, body_s, keys,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);

-- Every word as written the indexes were given (never removed): prefixes
-- become the words they start (searchquery.ExpandPrefixes), and "did you
-- mean" looks for words one edit away. fts5vocab read each word's whole
-- list to count it (ch*: 29 ms for 16 words on 1M annotations).
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;

-- Rows whose index entries must be remade, applied just before each commit
-- (db/sqlite/search_index.go: flushSearch). 'threads': the annotation and
-- every reply under it (their keys carry the thread's tags).
CREATE TABLE search_queue (
    tbl TEXT    NOT NULL CHECK (tbl IN ('articles', 'annotations', 'threads', 'notes')),
    doc INTEGER NOT NULL,
    PRIMARY KEY (tbl, doc)
) WITHOUT ROWID;

CREATE TRIGGER search_articles_update AFTER UPDATE OF title ON articles
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', new.id);
END;
CREATE TRIGGER search_articles_delete AFTER DELETE ON articles
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', old.id);
END;
CREATE TRIGGER search_revisions_insert AFTER INSERT ON article_revisions
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', new.article_id);
END;
CREATE TRIGGER search_revisions_update AFTER UPDATE OF body ON article_revisions
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', new.article_id);
END;
CREATE TRIGGER search_revisions_delete AFTER DELETE ON article_revisions
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', old.article_id);
END;
CREATE TRIGGER search_article_tags_insert AFTER INSERT ON article_tags
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', new.article_id);
END;
CREATE TRIGGER search_article_tags_delete AFTER DELETE ON article_tags
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('articles', old.article_id);
END;

CREATE TRIGGER search_annotations_insert AFTER INSERT ON annotations
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', new.id);
END;
CREATE TRIGGER search_annotations_update AFTER UPDATE OF body, exact, visibility, group_id ON annotations
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', new.id);
END;
-- Also fires for rows removed by ON DELETE CASCADE.
CREATE TRIGGER search_annotations_delete AFTER DELETE ON annotations
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', old.id);
END;
CREATE TRIGGER search_annotation_tags_insert AFTER INSERT ON annotation_tags
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('threads', new.annotation_id);
END;
CREATE TRIGGER search_annotation_tags_delete AFTER DELETE ON annotation_tags
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('threads', old.annotation_id);
END;
CREATE TRIGGER search_tags_rename AFTER UPDATE OF name ON tags
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) SELECT 'threads', annotation_id FROM annotation_tags WHERE tag_id = new.id;
    INSERT OR IGNORE INTO search_queue (tbl, doc) SELECT 'articles', article_id FROM article_tags WHERE tag_id = new.id;
END;
CREATE TRIGGER search_evidence_insert AFTER INSERT ON annotation_evidence
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', new.annotation_id);
END;
CREATE TRIGGER search_evidence_update AFTER UPDATE ON annotation_evidence
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', old.annotation_id);
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', new.annotation_id);
END;
CREATE TRIGGER search_evidence_delete AFTER DELETE ON annotation_evidence
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('annotations', old.annotation_id);
END;
CREATE TRIGGER search_entities_rename AFTER UPDATE OF name ON entities
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc)
        SELECT 'annotations', annotation_id FROM annotation_evidence WHERE entity_id = new.id OR place_id = new.id;
END;
CREATE TRIGGER search_aliases_insert AFTER INSERT ON entity_aliases
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc)
        SELECT 'annotations', annotation_id FROM annotation_evidence WHERE entity_id = new.entity_id OR place_id = new.entity_id;
END;
CREATE TRIGGER search_aliases_update AFTER UPDATE ON entity_aliases
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc)
        SELECT 'annotations', annotation_id FROM annotation_evidence
        WHERE entity_id IN (old.entity_id, new.entity_id) OR place_id IN (old.entity_id, new.entity_id);
END;
CREATE TRIGGER search_aliases_delete AFTER DELETE ON entity_aliases
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc)
        SELECT 'annotations', annotation_id FROM annotation_evidence WHERE entity_id = old.entity_id OR place_id = old.entity_id;
END;

CREATE TRIGGER search_notes_insert AFTER INSERT ON notes
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('notes', new.id);
END;
CREATE TRIGGER search_notes_update AFTER UPDATE OF body, visibility, group_id ON notes
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('notes', new.id);
END;
CREATE TRIGGER search_notes_delete AFTER DELETE ON notes
BEGIN
    INSERT OR IGNORE INTO search_queue (tbl, doc) VALUES ('notes', old.id);
END;
