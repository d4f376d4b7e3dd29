-- Saved value checks and batch checks. An assessment belongs to the importer it is for (a
-- broker saves under the importer it acts for); its reference is random, short enough to read
-- aloud, and unique. Answers and outcome are kept as the engine saw and computed them on the
-- day, so a reopened assessment shows what the trader saw then, whatever bands came later.
CREATE TABLE assessments (
    id            UUID PRIMARY KEY,
    reference     TEXT NOT NULL UNIQUE CHECK (reference ~ '^VAL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$'),
    owner_id      UUID NOT NULL REFERENCES organisations (id),
    saved_by_org  UUID NOT NULL REFERENCES organisations (id),
    created_by    UUID NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    label         TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 120),
    tariff_code   TEXT NOT NULL,
    origin        CHAR(2) NOT NULL,
    filing_date   DATE NOT NULL,
    level         TEXT NOT NULL,
    customs_value NUMERIC NOT NULL,
    answers       JSONB NOT NULL,
    outcome       JSONB NOT NULL
);
CREATE INDEX assessments_owner_idx ON assessments (owner_id, created_at DESC);

CREATE TABLE check_batches (
    id          UUID PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE CHECK (reference ~ '^VAL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$'),
    owner_id    UUID NOT NULL REFERENCES organisations (id),
    created_by  UUID NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    file_name   TEXT NOT NULL,
    line_count  INTEGER NOT NULL CHECK (line_count BETWEEN 1 AND 10000),
    error_count INTEGER NOT NULL
);
CREATE INDEX check_batches_owner_idx ON check_batches (owner_id, created_at DESC);

-- One row per line of the file: the answers, and either the outcome or the errors.
CREATE TABLE check_batch_lines (
    batch_id UUID NOT NULL REFERENCES check_batches (id) ON DELETE CASCADE,
    line_no  INTEGER NOT NULL,
    answers  JSONB NOT NULL,
    outcome  JSONB,
    errors   JSONB,
    PRIMARY KEY (batch_id, line_no),
    CHECK ((outcome IS NULL) <> (errors IS NULL))
);
