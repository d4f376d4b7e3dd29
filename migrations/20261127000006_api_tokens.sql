-- Per-organisation API tokens for the checks API. Only the SHA-256 of a token is kept; the
-- token itself is shown once, at creation. Revocation takes effect on the next request.
CREATE TABLE api_tokens (
    id              UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    created_by      UUID NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash      BYTEA NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at    TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ
);
CREATE INDEX api_tokens_organisation_idx ON api_tokens (organisation_id);
