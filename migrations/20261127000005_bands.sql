-- Declaration records (the raw material of bands) and band versions.

CREATE TABLE record_batches (
    id          BIGSERIAL PRIMARY KEY,
    source      TEXT NOT NULL,
    records     BIGINT NOT NULL,
    imported_by UUID REFERENCES users (id),
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Written by COPY in millions of rows: no index and no foreign key (each would cost a check per
-- row); the importer validated every reference. `value_base`, `band_unit` and `unit_value` are
-- the record converted once at import (see app/src/domain/records.rs).
CREATE TABLE declaration_records (
    batch_id      BIGINT NOT NULL,
    line          BIGINT NOT NULL,
    declared_on   DATE NOT NULL,
    tariff_code   TEXT NOT NULL CHECK (tariff_code ~ '^[0-9]{6}([0-9]{2}){0,2}$'),
    origin        CHAR(2) NOT NULL,
    incoterm      TEXT NOT NULL,
    quantity      NUMERIC NOT NULL CHECK (quantity > 0),
    unit          TEXT NOT NULL,
    customs_value NUMERIC NOT NULL CHECK (customs_value > 0),
    currency      CHAR(3) NOT NULL,
    value_base    NUMERIC NOT NULL,
    band_unit     TEXT NOT NULL,
    unit_value    NUMERIC NOT NULL CHECK (unit_value > 0)
);

-- One computation over one period. A published run replaces the whole set of bands from its
-- effective date: the band of a key "as of" a date is its band in the latest run published with
-- an effective date on or before it (none if that run had too few records for the key).
CREATE TABLE band_runs (
    id             BIGSERIAL PRIMARY KEY,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'discarded')),
    code_level     SMALLINT NOT NULL CHECK (code_level IN (4, 6, 8, 10)),
    period_from    DATE NOT NULL,
    period_to      DATE NOT NULL,
    iqr_factor     NUMERIC NOT NULL,
    min_sample     INTEGER NOT NULL,
    base_currency  CHAR(3) NOT NULL,
    records_used   BIGINT NOT NULL DEFAULT 0,
    bands_computed INTEGER NOT NULL DEFAULT 0,
    keys_too_few   INTEGER NOT NULL DEFAULT 0,
    compute_ms     BIGINT NOT NULL DEFAULT 0,
    computed_by    UUID REFERENCES users (id),
    computed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    effective_from DATE,
    published_by   UUID REFERENCES users (id),
    published_at   TIMESTAMPTZ,
    CHECK (period_from <= period_to),
    CHECK ((status = 'published') = (effective_from IS NOT NULL))
);
CREATE UNIQUE INDEX band_runs_published_effective_idx
    ON band_runs (effective_from) WHERE status = 'published';

CREATE TABLE bands (
    run_id      BIGINT NOT NULL REFERENCES band_runs (id) ON DELETE CASCADE,
    -- Byte order, so a code-prefix search (LIKE '0703%') walks the primary key.
    tariff_code TEXT COLLATE "C" NOT NULL,
    origin      CHAR(2) NOT NULL,
    unit        TEXT NOT NULL,
    n           INTEGER NOT NULL CHECK (n > 0),
    n_trimmed   INTEGER NOT NULL CHECK (n_trimmed >= 0),
    p10         NUMERIC NOT NULL,
    p25         NUMERIC NOT NULL,
    median      NUMERIC NOT NULL,
    p75         NUMERIC NOT NULL,
    p90         NUMERIC NOT NULL,
    PRIMARY KEY (run_id, tariff_code, origin, unit),
    CHECK (p10 <= p25 AND p25 <= median AND median <= p75 AND p75 <= p90)
);

-- A published band never changes: checks made against it must stay explainable.
CREATE FUNCTION bands_refuse_change_when_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM band_runs WHERE id = OLD.run_id AND status = 'published') THEN
        RAISE EXCEPTION 'published bands cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bands_published_are_final BEFORE UPDATE OR DELETE ON bands
    FOR EACH ROW EXECUTE FUNCTION bands_refuse_change_when_published();

-- The type-7 percentile (as percentile_cont) of an ascending array, in exact numeric arithmetic.
CREATE FUNCTION band_percentile(sorted NUMERIC[], p NUMERIC) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN cardinality(sorted) = 0 THEN NULL ELSE
        sorted[lo + 1] + (h - lo) * (coalesce(sorted[lo + 2], sorted[lo + 1]) - sorted[lo + 1])
    END
    FROM (SELECT (cardinality(sorted) - 1) * p AS h) AS a,
         LATERAL (SELECT floor(a.h)::int AS lo) AS b
$$;
