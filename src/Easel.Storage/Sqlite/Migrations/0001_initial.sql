-- Schema version 1: orders, images and full-text search over prompts.
-- The migrator runs this file in one transaction (so no transaction statements here) and sets
-- PRAGMA user_version = 1. Times are unix milliseconds UTC; enums are snake_case text.

CREATE TABLE orders (
    id              TEXT    NOT NULL PRIMARY KEY,
    prompt          TEXT    NOT NULL,
    negative_prompt TEXT,
    count           INTEGER NOT NULL CHECK (count >= 1),
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    aspect_ratio    TEXT,
    style           TEXT,
    background      TEXT    NOT NULL,
    seed            INTEGER NOT NULL,
    provider        TEXT    NOT NULL,
    model           TEXT    NOT NULL,
    -- No CHECK on status: later versions add states (planned, awaiting_approval, ...) and
    -- SQLite can only change a CHECK by rebuilding the table.
    status          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    completed_at    INTEGER,
    error           TEXT
);

CREATE TABLE images (
    -- An explicit INTEGER PRIMARY KEY keeps rowids stable across VACUUM, which the
    -- external-content FTS index below relies on; the public id is the unique text key.
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    slot            INTEGER NOT NULL CHECK (slot >= 0),
    prompt          TEXT    NOT NULL,
    negative_prompt TEXT,
    parameters      TEXT    NOT NULL CHECK (json_valid(parameters)),
    provider        TEXT    NOT NULL,
    model           TEXT    NOT NULL,
    seed            INTEGER,
    created_at      INTEGER NOT NULL,
    generation_ms   INTEGER NOT NULL,
    -- Relative to the data directory when the file is inside it, so the directory can move.
    path            TEXT    NOT NULL,
    sha256          TEXT    NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL
);

-- Gallery order (newest first, ties by id) without a sort step.
CREATE INDEX images_created_at ON images (created_at DESC, id DESC);
CREATE INDEX images_order_id ON images (order_id, slot);

-- Words in prompts; remove_diacritics 2 lets "cafe" find "café".
CREATE VIRTUAL TABLE images_fts USING fts5 (
    prompt,
    negative_prompt,
    content = 'images',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_fts (rowid, prompt, negative_prompt)
    VALUES (new.seq, new.prompt, new.negative_prompt);
END;

CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt, negative_prompt)
    VALUES ('delete', old.seq, old.prompt, old.negative_prompt);
END;

CREATE TRIGGER images_fts_update AFTER UPDATE OF prompt, negative_prompt ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt, negative_prompt)
    VALUES ('delete', old.seq, old.prompt, old.negative_prompt);
    INSERT INTO images_fts (rowid, prompt, negative_prompt)
    VALUES (new.seq, new.prompt, new.negative_prompt);
END;
