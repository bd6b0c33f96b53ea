-- What lists of articles read of each current revision (its id, number,
-- digest and word count), without its text: in a row, sha256 and words come
-- after the body, so reading them read through every article's text (the
-- timeline's 10,000 articles: 175 ms; through this index 88 ms). The
-- queries name it (INDEXED BY): SQLite, without statistics, prefers the
-- UNIQUE (article_id, number) index, which is not covering.
CREATE INDEX article_revisions_heads_idx ON article_revisions (article_id, number, id, sha256, words);
