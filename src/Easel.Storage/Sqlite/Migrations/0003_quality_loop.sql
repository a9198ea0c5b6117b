-- Schema version 3: the quality loop, references, derived images and review.
-- Orders from earlier versions get one pass and no threshold, so they finish as they would have.

ALTER TABLE orders ADD COLUMN max_iterations INTEGER NOT NULL DEFAULT 1 CHECK (max_iterations >= 1);
ALTER TABLE orders ADD COLUMN threshold INTEGER NOT NULL DEFAULT 0 CHECK (threshold BETWEEN 0 AND 100);
ALTER TABLE orders ADD COLUMN candidates INTEGER NOT NULL DEFAULT 1 CHECK (candidates >= 1);
ALTER TABLE orders ADD COLUMN preset TEXT;
-- Reference images kept with the order: [{source, path, media_type, sha256, width, height}].
ALTER TABLE orders ADD COLUMN refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs));
-- The image a regenerate, variation or upscale order works from.
ALTER TABLE orders ADD COLUMN source_image_id TEXT;
ALTER TABLE orders ADD COLUMN source_kind TEXT CHECK (source_kind IS NULL OR source_kind IN ('regenerate', 'variation', 'upscale'));
ALTER TABLE orders ADD COLUMN source_strength TEXT CHECK (source_strength IS NULL OR source_strength IN ('subtle', 'strong'));
ALTER TABLE orders ADD COLUMN source_scale INTEGER;

-- A batch makes slots first_slot .. first_slot+count-1, candidates first_candidate .. +candidates-1
-- of each, for one iteration, from one prompt (NULL: the order's).
ALTER TABLE batches ADD COLUMN iteration INTEGER NOT NULL DEFAULT 1 CHECK (iteration >= 1);
ALTER TABLE batches ADD COLUMN first_candidate INTEGER NOT NULL DEFAULT 0 CHECK (first_candidate >= 0);
ALTER TABLE batches ADD COLUMN candidates INTEGER NOT NULL DEFAULT 1 CHECK (candidates >= 1);
ALTER TABLE batches ADD COLUMN prompt TEXT;
ALTER TABLE batches ADD COLUMN previous_response_id TEXT;

ALTER TABLE images ADD COLUMN iteration INTEGER NOT NULL DEFAULT 1 CHECK (iteration >= 1);
ALTER TABLE images ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate >= 0);
-- NULL until evaluated, and when the evaluator failed (evaluation.error says why).
ALTER TABLE images ADD COLUMN score INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 100);
ALTER TABLE images ADD COLUMN evaluation TEXT CHECK (evaluation IS NULL OR json_valid(evaluation));
ALTER TABLE images ADD COLUMN response_id TEXT;
ALTER TABLE images ADD COLUMN parent_id TEXT;
ALTER TABLE images ADD COLUMN derivation TEXT CHECK (derivation IS NULL OR derivation IN ('regenerate', 'variation', 'upscale'));
ALTER TABLE images ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (review_status IN ('unreviewed', 'approved', 'regenerated'));
ALTER TABLE images ADD COLUMN reviewed_at INTEGER;
ALTER TABLE images ADD COLUMN reviewed_by TEXT;

CREATE INDEX images_parent_id ON images (parent_id) WHERE parent_id IS NOT NULL;

-- Where each slot of an order stands in the loop. A slot is done when its best image is final.
CREATE TABLE slots (
    order_id      TEXT    NOT NULL REFERENCES orders (id),
    slot          INTEGER NOT NULL CHECK (slot >= 0),
    iteration     INTEGER NOT NULL DEFAULT 1 CHECK (iteration >= 1),
    status        TEXT    NOT NULL CHECK (status IN ('generating', 'done')),
    prompt        TEXT    NOT NULL,
    best_image_id TEXT,
    best_score    INTEGER,
    PRIMARY KEY (order_id, slot)
) WITHOUT ROWID;

-- Orders still to run when this version arrives get their slots, one pass each.
WITH RECURSIVE numbers (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM numbers WHERE n < 999)
INSERT INTO slots (order_id, slot, iteration, status, prompt)
SELECT o.id, numbers.n, 1, 'generating', o.prompt
FROM orders o JOIN numbers ON numbers.n < coalesce(o.approved_count, o.count)
WHERE o.status IN ('queued', 'running');
