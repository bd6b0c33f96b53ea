-- Suggested evidence (db/suggest) is computed from an article's text and
-- never stored; what each person dismissed of it is, so a dismissed
-- suggestion stays gone for them (and only for them). key is the
-- suggestion's (suggest.Key: its kind, words and occurrence).
CREATE TABLE suggestion_dismissals (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,
    dismissed_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, article_id, key)
);
CREATE INDEX suggestion_dismissals_article_idx ON suggestion_dismissals (article_id);
