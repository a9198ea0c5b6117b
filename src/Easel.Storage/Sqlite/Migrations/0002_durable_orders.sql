-- Schema version 2: durable orders. Batches, approval requests and an append-only audit trail.
-- Orders from version 1 ran in one process and are all finished; they keep their rows.

ALTER TABLE orders ADD COLUMN approved_count INTEGER CHECK (approved_count IS NULL OR approved_count >= 1);
-- Images per provider call, fixed when the order is planned (version 1 orders: one batch of all).
ALTER TABLE orders ADD COLUMN images_per_call INTEGER NOT NULL DEFAULT 4 CHECK (images_per_call >= 1);
-- US dollars as text, so decimals survive exactly.
ALTER TABLE orders ADD COLUMN estimated_cost TEXT NOT NULL DEFAULT '0';

CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_created_at ON orders (created_at DESC, id DESC);

CREATE TABLE batches (
    order_id      TEXT    NOT NULL REFERENCES orders (id),
    idx           INTEGER NOT NULL CHECK (idx >= 0),
    first_slot    INTEGER NOT NULL CHECK (first_slot >= 0),
    count         INTEGER NOT NULL CHECK (count >= 1),
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'in_flight', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    started_at    INTEGER,
    finished_at   INTEGER,
    error         TEXT,
    cost          TEXT,
    -- Files the current attempt is writing, as a JSON array, until their rows are stored.
    pending_files TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(pending_files)),
    PRIMARY KEY (order_id, idx)
) WITHOUT ROWID;

CREATE TABLE approvals (
    id             TEXT    NOT NULL PRIMARY KEY,
    order_id       TEXT    NOT NULL REFERENCES orders (id),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    -- What the approver was shown, as it was shown.
    summary        TEXT    NOT NULL CHECK (json_valid(summary)),
    decided_at     INTEGER,
    decided_by     TEXT,
    note           TEXT,
    approved_count INTEGER
);

CREATE INDEX approvals_order_id ON approvals (order_id);
CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status = 'pending';

CREATE TABLE order_events (
    seq         INTEGER PRIMARY KEY,
    order_id    TEXT    NOT NULL REFERENCES orders (id),
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    actor       TEXT,
    note        TEXT,
    batch       INTEGER,
    attempt     INTEGER,
    images      INTEGER,
    provider    TEXT,
    model       TEXT,
    duration_ms INTEGER,
    cost        TEXT,
    error       TEXT
);

CREATE INDEX order_events_order_id ON order_events (order_id, seq);

-- The audit trail is append-only: history cannot be edited or removed.
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events BEGIN
    SELECT RAISE(ABORT, 'order events are append-only');
END;

CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events BEGIN
    SELECT RAISE(ABORT, 'order events are append-only');
END;
