-- Schema version 6: webhook deliveries, an outbox kept in the store so that a restart neither
-- loses a notification nor sends a delivered one again.

CREATE TABLE webhook_deliveries (
    -- Sent as the Easel-Delivery header; the same on every attempt, so receivers can drop repeats.
    id              TEXT    NOT NULL PRIMARY KEY,
    event_seq       INTEGER NOT NULL,
    hook            TEXT    NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('approval_needed', 'order_finished')),
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    -- The body exactly as first built: every attempt sends (and signs) the same bytes.
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When a pending delivery is next due; during an attempt, when it is due again if the sender died.
    next_attempt_at INTEGER CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
    last_attempt_at INTEGER,
    response_status INTEGER,
    last_error      TEXT,
    -- One delivery per event and hook, however many senders look at the audit trail.
    UNIQUE (event_seq, hook)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order_id ON webhook_deliveries (order_id, event_seq);

-- The last audit event (order_events.seq) already turned into deliveries: one row.
CREATE TABLE webhook_cursor (
    id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
);
