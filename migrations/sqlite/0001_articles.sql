-- Articles and their text revisions. Text is never overwritten in place:
-- a changed source gets a new revision, because annotations anchor to one.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    publication  TEXT    NOT NULL DEFAULT '',
    published_on TEXT    NOT NULL DEFAULT '', -- YYYY-MM-DD, or '' when unknown
    dek          TEXT    NOT NULL DEFAULT '', -- subtitle printed with the article
    summary      TEXT    NOT NULL DEFAULT '', -- editor's summary that precedes it
    source_note  TEXT    NOT NULL DEFAULT '', -- where the text came from
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    body       TEXT    NOT NULL, -- NFC-normalized UTF-8
    sha256     TEXT    NOT NULL, -- hex digest of body
    words      INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (article_id, number)
);
