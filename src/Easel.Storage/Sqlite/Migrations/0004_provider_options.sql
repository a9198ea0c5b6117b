-- Schema version 4: what vendors are asked for, and the jobs asynchronous vendors run.

ALTER TABLE orders ADD COLUMN quality TEXT NOT NULL DEFAULT 'auto' CHECK (quality IN ('auto', 'low', 'medium', 'high'));
ALTER TABLE orders ADD COLUMN format TEXT NOT NULL DEFAULT 'png' CHECK (format IN ('png', 'jpeg', 'webp'));

-- The job an asynchronous vendor (Replicate, ComfyUI) started for the batch's current call,
-- stored before polling: a resumed call polls it instead of paying for another.
ALTER TABLE batches ADD COLUMN remote_job_id TEXT;
