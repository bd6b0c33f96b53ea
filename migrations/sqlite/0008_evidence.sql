-- Evidence: entities (people, organizations, places) shared by everyone
-- like tags, and a structured side record for annotations whose kind is
-- more than a comment (entity mention, quote, figure, event). The side
-- record has no visibility of its own: it is seen with its annotation.
CREATE TABLE entities (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    type       TEXT    NOT NULL CHECK (type IN ('person', 'organization', 'place')),
    created_at TEXT    NOT NULL
);

-- Other names of an entity ('UNHCR' for 'UN High Commissioner for
-- Refugees'); a merged entity's name becomes an alias of the one it joined.
CREATE TABLE entity_aliases (
    alias     TEXT    NOT NULL COLLATE NOCASE PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE
);
CREATE INDEX entity_aliases_entity_idx ON entity_aliases (entity_id);

CREATE TABLE annotation_evidence (
    annotation_id INTEGER PRIMARY KEY REFERENCES annotations (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('entity', 'quote', 'figure', 'event')),
    entity_id INTEGER REFERENCES entities (id), -- mentioned (entity), speaker (quote), estimator (figure)
    low       REAL,                             -- figure: low and high value (equal for one value)
    high      REAL,
    unit      TEXT NOT NULL DEFAULT '',
    counted   TEXT NOT NULL DEFAULT '',         -- figure: what is counted (groups the comparison)
    ref_date  TEXT NOT NULL DEFAULT '',         -- figure: YYYY, YYYY-MM or YYYY-MM-DD
    date_from TEXT NOT NULL DEFAULT '',         -- event: date or start of a range
    date_to   TEXT NOT NULL DEFAULT '',         -- event: end of a range ('' for one date)
    place_id  INTEGER REFERENCES entities (id), -- event: where
    CHECK (low IS NULL OR high IS NULL OR low <= high)
);
CREATE INDEX annotation_evidence_entity_idx ON annotation_evidence (entity_id);
CREATE INDEX annotation_evidence_place_idx ON annotation_evidence (place_id);
CREATE INDEX annotation_evidence_kind_idx ON annotation_evidence (kind, counted);
