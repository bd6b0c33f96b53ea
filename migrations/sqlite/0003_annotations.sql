-- Annotations (highlights, comments and their replies), tags, notes beside
-- an article, and the moderation log.
CREATE TABLE annotations (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES annotations (id) ON DELETE CASCADE, -- set on replies
    body         TEXT    NOT NULL DEFAULT '', -- Markdown; '' for a plain highlight
    body_html    TEXT    NOT NULL DEFAULT '', -- sanitized rendering of body
    visibility   TEXT    NOT NULL CHECK (visibility IN ('private', 'group', 'public')),
    group_id     INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    -- W3C selectors, in code points of the revision the annotation was made on
    -- (NULL on replies, which target their parent).
    revision_id  INTEGER REFERENCES article_revisions (id),
    pos_start    INTEGER,
    pos_end      INTEGER,
    exact        TEXT,
    prefix       TEXT,
    suffix       TEXT,
    -- Where the selectors land in the article's current revision.
    anchor_revision_id INTEGER REFERENCES article_revisions (id),
    anchor_start INTEGER,
    anchor_end   INTEGER,
    anchor_status TEXT CHECK (anchor_status IN ('anchored', 'moved', 'approximate', 'orphaned')),
    hidden_at    TEXT, -- hidden by a group owner (moderation)
    hidden_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    CHECK ((visibility = 'group') = (group_id IS NOT NULL)),
    CHECK ((parent_id IS NULL) = (revision_id IS NOT NULL))
);
CREATE INDEX annotations_article_idx ON annotations (article_id, anchor_start);
CREATE INDEX annotations_parent_idx ON annotations (parent_id);
CREATE INDEX annotations_author_idx ON annotations (author_id);
CREATE INDEX annotations_group_idx ON annotations (group_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE -- lowercased, trimmed
);

CREATE TABLE annotation_tags (
    annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (annotation_id, tag_id)
);
CREATE INDEX annotation_tags_tag_idx ON annotation_tags (tag_id);

-- Tags on whole articles are library metadata: public, set by signed-in people.
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    added_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT    NOT NULL,
    body_html  TEXT    NOT NULL,
    visibility TEXT    NOT NULL CHECK (visibility IN ('private', 'group', 'public')),
    group_id   INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    CHECK ((visibility = 'group') = (group_id IS NOT NULL))
);
CREATE INDEX notes_article_idx ON notes (article_id);

CREATE TABLE moderation_log (
    id            INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    actor_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action        TEXT    NOT NULL CHECK (action IN ('hide', 'unhide')),
    created_at    TEXT    NOT NULL
);

-- New annotations default to the author's last choice of visibility.
ALTER TABLE users ADD COLUMN last_visibility TEXT NOT NULL DEFAULT 'private';
ALTER TABLE users ADD COLUMN last_group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL;
