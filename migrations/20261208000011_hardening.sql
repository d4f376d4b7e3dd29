-- Mail that carries a secret (a sign-in, reset or invitation link) is blanked once delivered, so
-- a copy of the database does not hold working links.
ALTER TABLE outbox ADD COLUMN redact_after_send BOOLEAN NOT NULL DEFAULT false;

-- API tokens expire (90 days by default, at most VALORA_API_TOKEN_MAX_DAYS); tokens made before
-- expiry existed get the default from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- Keys the server keeps to itself. `audit`: the key of the keyed hash (HMAC-SHA-256) that stands
-- in the audit log for an email address nobody holds, so that what a stranger typed is not
-- kept while repeated attempts at the same address still show as one.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key  BYTEA NOT NULL CHECK (length(key) >= 32)
);
INSERT INTO server_keys (name, key)
VALUES ('audit', uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));

-- Who an organisation really is. A public registration starts unverified; its administrator
-- uploads evidence (the tax registration record), which puts it in customs' queue (pending); a
-- valuation administrator verifies it, or rejects it with a reason (new evidence puts it back in
-- the queue). Organisations made by the command line or demo data, and those that existed
-- before this migration, count as verified. Only one organisation may hold a tax id verified;
-- several unverified registrations of one tax id may wait side by side, so that whoever
-- registers first no longer owns it.
ALTER TABLE organisations
    ADD COLUMN verification TEXT NOT NULL DEFAULT 'verified'
        CHECK (verification IN ('unverified', 'pending', 'verified', 'rejected')),
    ADD COLUMN verification_reason TEXT CHECK (length(verification_reason) <= 2000),
    ADD COLUMN verification_decided_at TIMESTAMPTZ,
    ADD COLUMN verification_decided_by UUID REFERENCES users (id);
ALTER TABLE organisations ALTER COLUMN verification SET DEFAULT 'unverified';
ALTER TABLE organisations DROP CONSTRAINT organisations_tax_id_scheme_tax_id_key;
CREATE UNIQUE INDEX organisations_verified_tax_id_key ON organisations (tax_id_scheme, tax_id)
    WHERE verification = 'verified';
CREATE INDEX organisations_tax_id_idx ON organisations (tax_id_scheme, tax_id);
CREATE INDEX organisations_queue_idx ON organisations (created_at) WHERE verification = 'pending';

-- The evidence an organisation's administrator gives for verification, stored like any
-- document (chunks in document_blobs); kept for the record, never changed.
CREATE TABLE organisation_evidence (
    id              UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    blob_id         UUID NOT NULL REFERENCES document_blobs (id),
    file_name       TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    uploaded_by     UUID NOT NULL REFERENCES users (id),
    uploaded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX organisation_evidence_org_idx ON organisation_evidence (organisation_id, uploaded_at);

-- Organisations made while the server ran in demo mode. Demo mode seeds accounts whose password
-- is published, so it refuses to start against a database holding any organisation that is not
-- demo data (see server/src/lib.rs).
ALTER TABLE organisations ADD COLUMN demo BOOLEAN NOT NULL DEFAULT false;
