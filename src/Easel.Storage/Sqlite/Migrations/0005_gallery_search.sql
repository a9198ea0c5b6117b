-- Schema version 5: gallery search with filters (provider, score, review status) and keyset pages.
-- Every gallery query reads its page in (created_at DESC, id DESC) order from an index; see
-- SqliteImageCatalog.SearchAsync for which one each combination of filters uses.

-- Gallery order, now carrying the filter columns: a filtered page (score at least 90, say) is
-- decided from index entries alone, and only the rows that make the page are read from the table,
-- whose rows are wide (prompt, parameters, evaluation).
DROP INDEX images_created_at;
CREATE INDEX images_created_at ON images (created_at DESC, id DESC, provider COLLATE NOCASE, review_status, score);

-- One provider's or one review status's images, newest first, seeking straight to the page.
-- Provider filters are case-insensitive; this index also lists the distinct providers cheaply.
CREATE INDEX images_provider ON images (provider COLLATE NOCASE, created_at DESC, id DESC, review_status, score);
CREATE INDEX images_review ON images (review_status, created_at DESC, id DESC, provider COLLATE NOCASE, score);

-- The text index again, over prompts only (negative prompts are never searched, and a column
-- filter over two columns cost time on every match), with prefix indexes: the last word of a
-- search is prefix-matched, and "c", "ca", "cat" typed into a search box each read one list
-- instead of merging the lists of every word they start.
DROP TRIGGER images_fts_insert;
DROP TRIGGER images_fts_delete;
DROP TRIGGER images_fts_update;
DROP TABLE images_fts;

CREATE VIRTUAL TABLE images_fts USING fts5 (
    prompt,
    content = 'images',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO images_fts (images_fts) VALUES ('rebuild');

CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_fts (rowid, prompt) VALUES (new.seq, new.prompt);
END;

CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
END;

CREATE TRIGGER images_fts_update AFTER UPDATE OF prompt ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
    INSERT INTO images_fts (rowid, prompt) VALUES (new.seq, new.prompt);
END;
