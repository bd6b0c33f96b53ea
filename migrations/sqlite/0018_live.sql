-- Working together live (issue 18): the event log the live pages follow,
-- notifications, mentions, mutes, group follows and email.

-- Every change to what a page shows is appended here in the transaction of
-- the write that makes it, so what a live page hears is exactly what was
-- committed, in commit order (ids are assigned by the one writer). Streams
-- catch up from it (Last-Event-ID); it is pruned to a day and a number of
-- rows (event_log_state says up to where). No foreign keys: an event
-- outlives what it is about (a deletion).
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    article_id      INTEGER,
    group_id        INTEGER,
    user_id         INTEGER,  -- the person it is for or about (their own stream)
    annotation_id   INTEGER,
    note_id         INTEGER,
    actor_id        INTEGER,
    audience        TEXT NOT NULL DEFAULT '', -- who may see it after the change (JSON thread chain)
    audience_before TEXT NOT NULL DEFAULT '', -- and before it (an edit, a hide, a deletion)
    created_at      TEXT NOT NULL
);
CREATE INDEX events_created_idx ON events (created_at);

CREATE TABLE event_log_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL -- events up to this id may have been deleted
);
INSERT INTO event_log_state (id, pruned_through) VALUES (1, 0);

-- What a person is told about: replies to their annotations, mentions of
-- them, moderation of their annotations, new members of groups they own,
-- and new annotations in groups they follow. A notification goes with what
-- it is about (the cascades), and is listed only while its reader may
-- still read that (db/policy.go, at read time).
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'moderation', 'member', 'group_annotation')),
    actor_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    article_id    INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    group_id      INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    annotation_id INTEGER REFERENCES annotations (id) ON DELETE CASCADE,
    note_id       INTEGER REFERENCES notes (id) ON DELETE CASCADE,
    thread_id     INTEGER, -- the top of the annotation's thread, for muting
    detail        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    read_at       TEXT,
    email_state   TEXT NOT NULL DEFAULT 'none' CHECK (email_state IN ('none', 'due', 'queued'))
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_annotation_idx ON notifications (annotation_id);
CREATE INDEX notifications_note_idx ON notifications (note_id);
CREATE INDEX notifications_email_idx ON notifications (email_state, user_id);

-- Who is mentioned where (@[Name] in a comment, reply or note).
CREATE TABLE mentions (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    annotation_id INTEGER REFERENCES annotations (id) ON DELETE CASCADE,
    note_id       INTEGER REFERENCES notes (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    CHECK ((annotation_id IS NULL) <> (note_id IS NULL))
);
CREATE UNIQUE INDEX mentions_annotation_idx ON mentions (annotation_id, user_id);
CREATE UNIQUE INDEX mentions_note_idx ON mentions (note_id, user_id);
CREATE INDEX mentions_user_idx ON mentions (user_id);

-- A thread or a group a person asked to hear no more about.
CREATE TABLE notification_mutes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id  INTEGER REFERENCES annotations (id) ON DELETE CASCADE,
    group_id   INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    CHECK ((thread_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX notification_mutes_thread_idx ON notification_mutes (user_id, thread_id);
CREATE UNIQUE INDEX notification_mutes_group_idx ON notification_mutes (user_id, group_id);

-- Groups whose new annotations a person asked to be told about.
CREATE TABLE group_follows (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, group_id)
);

-- Email (only with -smtp-url): each person's choice and the token of the
-- one-click unsubscribe link in their emails (it can only turn emails off).
CREATE TABLE email_settings (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    token        TEXT NOT NULL UNIQUE,
    last_sent_at TEXT
);

-- Messages to send, kept until sent: a failed send is retried with
-- backoff; one whose sending was interrupted after the server may have
-- taken it is never sent again (state 'unknown', logged).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    unsubscribe     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TEXT
);
CREATE INDEX outbox_due_idx ON outbox (state, next_attempt_at);
