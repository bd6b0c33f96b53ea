-- Source furniture: spans of a revision's text that came with the page it
-- was collected from rather than the article (site navigation, a dateline,
-- the headline repeated in the body). The text stays verbatim; the reader
-- shows these spans dimmed and collapsed. A JSON array of [start, end]
-- pairs in code points of the body, in order.
ALTER TABLE article_revisions ADD COLUMN furniture TEXT NOT NULL DEFAULT '[]';
