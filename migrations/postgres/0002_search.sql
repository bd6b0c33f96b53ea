-- Search on PostgreSQL: the design of SQLite's migration 0016 (read it
-- first) with a tsvector for FTS5's columns. Go makes every entry
-- (db/searchquery: Doc): an item's words as written, their stems marked
-- "~" at the same positions, and its keys (kind, audience, group, author,
-- tags) marked "#", in one tsvector that a GIN index answers a whole
-- search from (searchquery: TSQuery). Writes queue the rows to remake
-- (search_queue, by triggers) and the store remakes them just before the
-- transaction commits.

CREATE VIEW search_article_docs (id, title, body) AS
    SELECT a.id, a.title, r.body
    FROM articles a
    JOIN article_revisions r ON r.article_id = a.id
     AND r.number = (SELECT MAX(number) FROM article_revisions WHERE article_id = a.id);

CREATE TABLE search_articles (
    id  BIGINT PRIMARY KEY,
    doc TSVECTOR NOT NULL
);
CREATE INDEX search_articles_doc_idx ON search_articles USING gin (doc);

CREATE TABLE search_annotations (
    id  BIGINT PRIMARY KEY,
    doc TSVECTOR NOT NULL
);
CREATE INDEX search_annotations_doc_idx ON search_annotations USING gin (doc);

CREATE TABLE search_notes (
    id  BIGINT PRIMARY KEY,
    doc TSVECTOR NOT NULL
);
CREATE INDEX search_notes_doc_idx ON search_notes USING gin (doc);

-- Every word as written the indexes were given, in byte order (prefixes
-- are ranges of it).
CREATE TABLE search_words (word TEXT COLLATE "C" PRIMARY KEY);

CREATE TABLE search_queue (
    tbl TEXT   NOT NULL CHECK (tbl IN ('articles', 'annotations', 'threads', 'notes')),
    doc BIGINT NOT NULL,
    PRIMARY KEY (tbl, doc)
);

-- search_enqueue(tbl, column): queue the row's column (of NEW, and of OLD
-- when it differs) as a doc of tbl.
CREATE FUNCTION search_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT;
    o BIGINT;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        n := (to_jsonb(NEW) ->> TG_ARGV[1])::BIGINT;
        INSERT INTO search_queue (tbl, doc) VALUES (TG_ARGV[0], n) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        o := (to_jsonb(OLD) ->> TG_ARGV[1])::BIGINT;
        IF n IS DISTINCT FROM o THEN
            INSERT INTO search_queue (tbl, doc) VALUES (TG_ARGV[0], o) ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER search_articles_update AFTER UPDATE OF title ON articles
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('articles', 'id');
CREATE TRIGGER search_articles_delete AFTER DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('articles', 'id');
CREATE TRIGGER search_revisions AFTER INSERT OR DELETE OR UPDATE OF body ON article_revisions
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('articles', 'article_id');
CREATE TRIGGER search_article_tags AFTER INSERT OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('articles', 'article_id');

CREATE TRIGGER search_annotations_write AFTER INSERT OR DELETE OR UPDATE OF body, exact, visibility, group_id ON annotations
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('annotations', 'id');
CREATE TRIGGER search_annotation_tags AFTER INSERT OR DELETE ON annotation_tags
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('threads', 'annotation_id');
CREATE TRIGGER search_evidence AFTER INSERT OR DELETE OR UPDATE ON annotation_evidence
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('annotations', 'annotation_id');

CREATE TRIGGER search_notes_write AFTER INSERT OR DELETE OR UPDATE OF body, visibility, group_id ON notes
    FOR EACH ROW EXECUTE FUNCTION search_enqueue('notes', 'id');

-- Renamed tags and entities, and aliases: every item that holds the name.
CREATE FUNCTION search_enqueue_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue (tbl, doc) SELECT 'threads', annotation_id FROM annotation_tags WHERE tag_id = NEW.id ON CONFLICT DO NOTHING;
    INSERT INTO search_queue (tbl, doc) SELECT 'articles', article_id FROM article_tags WHERE tag_id = NEW.id ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_tags_rename AFTER UPDATE OF name ON tags
    FOR EACH ROW EXECUTE FUNCTION search_enqueue_tag();

CREATE FUNCTION search_enqueue_entity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
BEGIN
    IF TG_TABLE_NAME = 'entities' THEN
        ids := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.entity_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.entity_id];
    ELSE
        ids := ARRAY[OLD.entity_id, NEW.entity_id];
    END IF;
    INSERT INTO search_queue (tbl, doc)
        SELECT 'annotations', annotation_id FROM annotation_evidence WHERE entity_id = ANY (ids) OR place_id = ANY (ids)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_entities_rename AFTER UPDATE OF name ON entities
    FOR EACH ROW EXECUTE FUNCTION search_enqueue_entity();
CREATE TRIGGER search_aliases AFTER INSERT OR DELETE OR UPDATE ON entity_aliases
    FOR EACH ROW EXECUTE FUNCTION search_enqueue_entity();
