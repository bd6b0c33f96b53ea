-- Search reads the matches of a query newest first and checks each against
-- the viewer's permissions and the filters until a window of results is
-- full (db/search.go). These narrow indexes hold what it checks, so that it
-- need not read each row with its text: search names them (INDEXED BY).
CREATE INDEX annotations_search_idx ON annotations (id, parent_id, article_id, visibility, group_id, author_id, hidden_at);
CREATE INDEX notes_search_idx ON notes (id, article_id, visibility, group_id, author_id);

-- The words each index holds, for search to turn a prefix into the words
-- it starts (searchquery.ExpandPrefixes): FTS5 would merge their lists
-- whole for every query. Schema only: they read the indexes.
CREATE VIRTUAL TABLE search_articles_vocab USING fts5vocab (search_articles, 'row');
CREATE VIRTUAL TABLE search_annotations_vocab USING fts5vocab (search_annotations, 'row');
CREATE VIRTUAL TABLE search_notes_vocab USING fts5vocab (search_notes, 'row');

-- (articles_publication_idx, which search's publication list and filter
-- read, comes with the library's indexes in 0009.)
