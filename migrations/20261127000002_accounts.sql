-- Identity and access: organisations, people, broker mandates, sessions, one-time links,
-- throttling, the mail outbox and the audit trail.

CREATE TABLE organisations (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            TEXT NOT NULL CHECK (kind IN ('importer', 'broker', 'customs')),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tax_id_scheme   TEXT NOT NULL,
    tax_id          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tax_id_scheme, tax_id)
);

CREATE TABLE users (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     UUID NOT NULL REFERENCES organisations (id),
    email               TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    full_name           TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    role                TEXT NOT NULL CHECK (role IN ('org_admin', 'trader', 'compliance', 'customs_officer', 'valuation_admin')),
    password_hash       TEXT NOT NULL,
    lang                TEXT NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    email_verified_at   TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_organisation_idx ON users (organisation_id);

-- A broker firm acts for an importer while a mandate is in force (revoked_at IS NULL).
CREATE TABLE mandates (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    importer_id UUID NOT NULL REFERENCES organisations (id),
    broker_id   UUID NOT NULL REFERENCES organisations (id),
    granted_by  UUID NOT NULL REFERENCES users (id),
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_by  UUID REFERENCES users (id),
    revoked_at  TIMESTAMPTZ,
    CHECK (importer_id <> broker_id)
);
CREATE UNIQUE INDEX mandates_in_force_idx ON mandates (importer_id, broker_id) WHERE revoked_at IS NULL;

-- Server-side sessions; only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash      BYTEA PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    acting_for      UUID REFERENCES organisations (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_agent      TEXT NOT NULL DEFAULT '',
    client_addr     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Single-use links sent by email (address verification, password reset); hash only.
CREATE TABLE one_time_tokens (
    token_hash  BYTEA PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

-- Fixed-window counters shared by every server process (sign-in failures, mail requests).
CREATE TABLE throttle (
    key             TEXT PRIMARY KEY,
    window_start    TIMESTAMPTZ NOT NULL,
    count           INTEGER NOT NULL
);

-- Mail is written here in the transaction that causes it and delivered by a worker.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Append-only audit trail. The trigger refuses UPDATE and DELETE for every role, the table
-- owner included (only a superuser disabling the trigger could bypass it).
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    action      TEXT NOT NULL,
    actor_id    UUID,
    acting_for  UUID,
    subject     TEXT,
    client_addr TEXT NOT NULL DEFAULT '',
    detail      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
