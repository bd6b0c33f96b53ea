-- Tags as a coding scheme: a colour and a description for each, and a
-- codebook per group (which tags the group uses, with definitions).
ALTER TABLE tags ADD COLUMN color INTEGER CHECK (color BETWEEN 0 AND 7); -- NULL: derived from the name
ALTER TABLE tags ADD COLUMN description TEXT NOT NULL DEFAULT '';

CREATE TABLE group_codebook (
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    definition TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, tag_id)
);
CREATE INDEX group_codebook_tag_idx ON group_codebook (tag_id);
