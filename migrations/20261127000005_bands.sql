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

-- The band of one key from its unit values sorted ascending: the definition in
-- app/src/domain/bands.rs. Quartiles of the logarithms in doubles exactly as percentile_cont
-- over float8 computes them; since ln is increasing the kept values are one slice of the sorted
-- array, found by walking in from both ends; percentiles of the slice in exact numeric
-- arithmetic (type 7), rounded half away from zero to `scale` places. Below `min_sample` kept
-- values the percentiles are NULL (no band).
CREATE FUNCTION band_stats(
    sorted NUMERIC[], k FLOAT8, min_sample INTEGER, scale INTEGER,
    OUT n INTEGER, OUT n_trimmed INTEGER,
    OUT p10 NUMERIC, OUT p25 NUMERIC, OUT median NUMERIC, OUT p75 NUMERIC, OUT p90 NUMERIC)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v NUMERIC[] := sorted;  -- a local copy is kept expanded: O(1) element access
    total INTEGER := cardinality(sorted);
    q FLOAT8[] := ARRAY[0.25, 0.75];
    h FLOAT8;
    f INTEGER;
    c INTEGER;
    lo FLOAT8;
    quartile FLOAT8[] := ARRAY[0, 0];
    low FLOAT8;
    high FLOAT8;
    lo_idx INTEGER := 1;
    hi_idx INTEGER := total;
    kept INTEGER;
    ps NUMERIC[] := ARRAY[0.1, 0.25, 0.5, 0.75, 0.9];
    figures NUMERIC[] := ARRAY[]::NUMERIC[];
    hn NUMERIC;
    i INTEGER;
BEGIN
    n := total;
    n_trimmed := 0;
    IF total = 0 THEN
        RETURN;
    END IF;
    FOR j IN 1..2 LOOP
        h := q[j] * (total - 1);
        f := floor(h);
        c := ceil(h);
        lo := ln(v[f + 1]::float8);
        IF f = c THEN
            quartile[j] := lo;
        ELSE
            quartile[j] := lo + (h - f) * (ln(v[c + 1]::float8) - lo);
        END IF;
    END LOOP;
    low := quartile[1] - k * (quartile[2] - quartile[1]);
    high := quartile[2] + k * (quartile[2] - quartile[1]);
    WHILE lo_idx <= total AND ln(v[lo_idx]::float8) < low LOOP
        lo_idx := lo_idx + 1;
    END LOOP;
    WHILE hi_idx >= lo_idx AND ln(v[hi_idx]::float8) > high LOOP
        hi_idx := hi_idx - 1;
    END LOOP;
    kept := hi_idx - lo_idx + 1;
    n_trimmed := total - kept;
    IF kept < greatest(min_sample, 1) THEN
        RETURN;
    END IF;
    FOR j IN 1..5 LOOP
        hn := (kept - 1) * ps[j];
        i := floor(hn);
        IF i + 1 < kept THEN
            figures[j] := round(v[lo_idx + i] + (hn - i) * (v[lo_idx + i + 1] - v[lo_idx + i]), scale);
        ELSE
            figures[j] := round(v[lo_idx + i], scale);
        END IF;
    END LOOP;
    p10 := figures[1];
    p25 := figures[2];
    median := figures[3];
    p75 := figures[4];
    p90 := figures[5];
END $$;
