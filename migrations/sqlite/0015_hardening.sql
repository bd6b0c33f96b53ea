-- Hardening after an outside review (issue 15).

-- The library's counts (db.ArticleCounts) apply the thread rule: a reply
-- counts only when its thread may be read. With parent_id in the article
-- index, the count still reads only the index for top-level annotations
-- (and walks a reply's ancestors through annotations_search_idx).
DROP INDEX annotations_article_idx;
CREATE INDEX annotations_article_idx ON annotations (article_id, anchor_start, visibility, group_id, author_id, hidden_at, parent_id);

-- Sessions are kept under a hash of the cookie's token from now on
-- (handlers/sessionstore.go), so a copy of the database signs no one in.
-- Sessions stored under the token itself can no longer be found: everyone
-- signs in again once after this upgrade.
DELETE FROM sessions;
DELETE FROM user_sessions;

-- The Web Annotation Protocol: a client's canonical IRI is kept (MUST),
-- and an id it sent is kept as via (SHOULD). NULL when none was sent.
ALTER TABLE annotations ADD COLUMN canonical TEXT;
ALTER TABLE annotations ADD COLUMN via TEXT;

-- A group invitation may let someone without an account make one with it
-- (its owners choose when making the link); the account and the joining
-- use the same use of the link.
ALTER TABLE invites ADD COLUMN allows_signup INTEGER NOT NULL DEFAULT 0 CHECK (allows_signup IN (0, 1));
