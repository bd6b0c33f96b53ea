-- Collections: an educator's ordered selection of whole articles, passages
-- (with the annotations chosen to show under them) and text of their own,
-- kept personal or in a group, and optionally published at a share link.
CREATE TABLE collections (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id   INTEGER REFERENCES groups (id) ON DELETE SET NULL, -- its members may view it
    title      TEXT    NOT NULL,
    intro      TEXT    NOT NULL DEFAULT '', -- Markdown
    intro_html TEXT    NOT NULL DEFAULT '', -- sanitized rendering of intro
    -- How annotators are named wherever the collection is shown.
    names      TEXT    NOT NULL DEFAULT 'full' CHECK (names IN ('full', 'initials', 'hidden')),
    -- The share link: only a hash of its token is kept; NULL when not shared.
    share_hash TEXT    UNIQUE,
    shared_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    shared_at  TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX collections_owner_idx ON collections (owner_id);
CREATE INDEX collections_group_idx ON collections (group_id);

-- One entry of a collection. A passage keeps its own W3C selectors on the
-- revision it was chosen on, and is located in the current revision when
-- shown (db/collection.go), like an annotation.
CREATE TABLE collection_items (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL, -- 1, 2, 3, … renumbered on every change
    kind            TEXT    NOT NULL CHECK (kind IN ('article', 'passage', 'text')),
    article_id      INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    heading         TEXT    NOT NULL DEFAULT '', -- a section heading (text items)
    commentary      TEXT    NOT NULL DEFAULT '', -- Markdown
    commentary_html TEXT    NOT NULL DEFAULT '',
    revision_id     INTEGER REFERENCES article_revisions (id),
    pos_start       INTEGER,
    pos_end         INTEGER,
    exact           TEXT,
    prefix          TEXT,
    suffix          TEXT,
    created_at      TEXT    NOT NULL,
    CHECK ((kind = 'text') = (article_id IS NULL)),
    CHECK ((kind = 'passage') = (revision_id IS NOT NULL))
);
CREATE INDEX collection_items_collection_idx ON collection_items (collection_id, position);
CREATE INDEX collection_items_article_idx ON collection_items (article_id);

-- The annotations (and replies) chosen to show under a passage. Whether
-- one is shown is decided each time, for each audience (db/policy.go).
CREATE TABLE collection_item_annotations (
    item_id       INTEGER NOT NULL REFERENCES collection_items (id) ON DELETE CASCADE,
    annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (item_id, annotation_id)
);
CREATE INDEX collection_item_annotations_annotation_idx ON collection_item_annotations (annotation_id);
