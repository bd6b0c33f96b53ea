-- Full-text search: one FTS5 index per kind of text, each with external
-- content (the index keeps no copy of the text; snippet() reads it from the
-- table) and kept in sync by the triggers below, inside the transaction of
-- each write. unicode61 with remove_diacritics 2 folds case and accents.
-- Changing any of this needs only `web reindex` (FTS5 'rebuild').

-- What is searchable of an article: its title and its current revision's
-- text, one row per article (rowid = article id).
CREATE VIEW search_article_docs (id, title, body) AS
    SELECT a.id, a.title, r.body
    FROM articles a
    JOIN article_revisions r ON r.article_id = a.id
     AND r.number = (SELECT MAX(number) FROM article_revisions WHERE article_id = a.id);

CREATE VIRTUAL TABLE search_articles USING fts5 (
    title, body,
    content = 'search_article_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Annotations and replies: the comment and the quoted passage.
CREATE VIRTUAL TABLE search_annotations USING fts5 (
    body, exact,
    content = 'annotations', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE search_notes USING fts5 (
    body,
    content = 'notes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- With external content, a 'delete' must name exactly the values that
-- were indexed; each trigger below passes the old ones.

-- Articles: indexed once they have a revision.
CREATE TRIGGER search_articles_title AFTER UPDATE OF title ON articles
WHEN old.title IS NOT new.title AND EXISTS (SELECT 1 FROM article_revisions WHERE article_id = new.id)
BEGIN
    INSERT INTO search_articles (search_articles, rowid, title, body)
        SELECT 'delete', old.id, old.title, body FROM search_article_docs WHERE id = old.id;
    INSERT INTO search_articles (rowid, title, body)
        SELECT id, title, body FROM search_article_docs WHERE id = new.id;
END;

-- Before the delete, while its revisions (cascaded after) are still there.
CREATE TRIGGER search_articles_delete BEFORE DELETE ON articles
BEGIN
    INSERT INTO search_articles (search_articles, rowid, title, body)
        SELECT 'delete', id, title, body FROM search_article_docs WHERE id = old.id;
END;

-- A new current revision replaces the article's entry.
CREATE TRIGGER search_revisions_insert AFTER INSERT ON article_revisions
WHEN NOT EXISTS (SELECT 1 FROM article_revisions WHERE article_id = new.article_id AND number > new.number)
BEGIN
    INSERT INTO search_articles (search_articles, rowid, title, body)
        SELECT 'delete', a.id, a.title, r.body FROM articles a JOIN article_revisions r ON r.article_id = a.id
        WHERE a.id = new.article_id
          AND r.number = (SELECT MAX(number) FROM article_revisions WHERE article_id = new.article_id AND number < new.number);
    INSERT INTO search_articles (rowid, title, body)
        SELECT id, title, new.body FROM articles WHERE id = new.article_id;
END;

-- Revisions are never edited or deleted alone today; if the current one
-- is, the entry follows. (When the article itself is deleted it is gone
-- already here, and search_articles_delete has removed the entry.)
CREATE TRIGGER search_revisions_update AFTER UPDATE OF body ON article_revisions
WHEN NOT EXISTS (SELECT 1 FROM article_revisions WHERE article_id = new.article_id AND number > new.number)
BEGIN
    INSERT INTO search_articles (search_articles, rowid, title, body)
        SELECT 'delete', id, title, old.body FROM articles WHERE id = old.article_id;
    INSERT INTO search_articles (rowid, title, body)
        SELECT id, title, new.body FROM articles WHERE id = new.article_id;
END;

CREATE TRIGGER search_revisions_delete AFTER DELETE ON article_revisions
WHEN EXISTS (SELECT 1 FROM articles WHERE id = old.article_id)
 AND NOT EXISTS (SELECT 1 FROM article_revisions WHERE article_id = old.article_id AND number > old.number)
BEGIN
    INSERT INTO search_articles (search_articles, rowid, title, body)
        SELECT 'delete', id, title, old.body FROM articles WHERE id = old.article_id;
    INSERT INTO search_articles (rowid, title, body)
        SELECT id, title, body FROM search_article_docs WHERE id = old.article_id;
END;

CREATE TRIGGER search_annotations_insert AFTER INSERT ON annotations
BEGIN
    INSERT INTO search_annotations (rowid, body, exact) VALUES (new.id, new.body, new.exact);
END;

CREATE TRIGGER search_annotations_update AFTER UPDATE OF body, exact ON annotations
BEGIN
    INSERT INTO search_annotations (search_annotations, rowid, body, exact) VALUES ('delete', old.id, old.body, old.exact);
    INSERT INTO search_annotations (rowid, body, exact) VALUES (new.id, new.body, new.exact);
END;

-- Also fires for rows removed by ON DELETE CASCADE (replies, a deleted
-- user's or group's annotations, a deleted article's).
CREATE TRIGGER search_annotations_delete AFTER DELETE ON annotations
BEGIN
    INSERT INTO search_annotations (search_annotations, rowid, body, exact) VALUES ('delete', old.id, old.body, old.exact);
END;

CREATE TRIGGER search_notes_insert AFTER INSERT ON notes
BEGIN
    INSERT INTO search_notes (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER search_notes_update AFTER UPDATE OF body ON notes
BEGIN
    INSERT INTO search_notes (search_notes, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_notes (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER search_notes_delete AFTER DELETE ON notes
BEGIN
    INSERT INTO search_notes (search_notes, rowid, body) VALUES ('delete', old.id, old.body);
END;

-- Search drops replies under an annotation hidden by moderation; this
-- finds the (few) hidden ones without reading every annotation.
CREATE INDEX annotations_hidden_idx ON annotations (hidden_at) WHERE hidden_at IS NOT NULL;

-- Index what exists already.
INSERT INTO search_articles (search_articles) VALUES ('rebuild');
INSERT INTO search_annotations (search_annotations) VALUES ('rebuild');
INSERT INTO search_notes (search_notes) VALUES ('rebuild');
