-- The sign-in throttles' counts (handlers/throttle.go) move from each
-- process's memory into the database, so that several instances of Gloss
-- on one database (PostgreSQL) count sign-ins together; SQLite keeps them
-- too, so one design serves both. A row may be forgotten after forget_at.
CREATE TABLE sign_in_throttles (
    key       TEXT PRIMARY KEY,
    failures  INTEGER NOT NULL,
    inflight  INTEGER NOT NULL,
    tokens    REAL    NOT NULL,
    until     TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    forget_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sign_in_throttles_forget_idx ON sign_in_throttles (forget_at);
