-- The library lists a page of articles at a time (db.ArticlesPage). These
-- indexes let it walk to a page in each sort order instead of sorting the
-- whole library, and let the publication filter, its list of publications
-- and the author filter read an index instead of every article.
CREATE INDEX articles_newest_idx ON articles (published_on DESC, title);
CREATE INDEX articles_oldest_idx ON articles (published_on = '', published_on, title);
CREATE INDEX articles_title_idx ON articles (title COLLATE NOCASE, published_on);
CREATE INDEX articles_publication_idx ON articles (publication);
CREATE INDEX article_authors_name_idx ON article_authors (name);

-- The page counts what each viewer may see on its articles (db.ArticleCounts).
-- With the columns of the visibility rule in the article index, that count
-- reads only the index, not each annotation's row. The same index, wider:
-- no extra index to update on each write.
DROP INDEX annotations_article_idx;
CREATE INDEX annotations_article_idx ON annotations (article_id, anchor_start, visibility, group_id, author_id, hidden_at);
