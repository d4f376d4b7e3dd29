-- Reference data the valuation administrator imports: countries, currencies, units of quantity
-- and official exchange rates. Tariff lines gain a Spanish/English search text.

CREATE TABLE currencies (
    code         CHAR(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    numeric_code CHAR(3) NOT NULL CHECK (numeric_code ~ '^[0-9]{3}$'),
    minor_units  SMALLINT NOT NULL CHECK (minor_units BETWEEN 0 AND 4),
    name_en      TEXT NOT NULL,
    name_es      TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE countries (
    alpha2       CHAR(2) PRIMARY KEY CHECK (alpha2 ~ '^[A-Z]{2}$'),
    alpha3       CHAR(3) NOT NULL UNIQUE CHECK (alpha3 ~ '^[A-Z]{3}$'),
    numeric_code TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    name_es      TEXT NOT NULL,
    -- Legal tenders, first the main one (India: INR, BTN). Not a foreign key: the country
    -- file may be loaded before the currency file.
    currencies   TEXT[] NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- UN/ECE Recommendation 20. `dimension` and `factor` (to the dimension's base: kg, one, pair,
-- m³, m², m) are set for the units goods are counted in; other units cannot key a band.
CREATE TABLE units (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{1,3}$'),
    name       TEXT NOT NULL,
    symbol     TEXT,
    dimension  TEXT CHECK (dimension IN ('mass', 'count', 'pairs', 'volume', 'area', 'length')),
    factor     NUMERIC CHECK (factor > 0),
    deprecated BOOLEAN NOT NULL DEFAULT false,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((dimension IS NULL) = (factor IS NULL))
);

-- Units of `currency` one unit of the base currency buys on `rate_date` (SUNAT: soles per dollar).
CREATE TABLE exchange_rates (
    currency       CHAR(3) NOT NULL REFERENCES currencies (code),
    rate_date      DATE NOT NULL,
    units_per_base NUMERIC NOT NULL CHECK (units_per_base > 0),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (currency, rate_date)
);

-- Searchable text: both languages, lower case, accents removed (done by the application, so no
-- extension is needed), kept in step by the importers.
ALTER TABLE tariff_lines ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- What each import through the administrator's page did, for the result page and the record.
CREATE TABLE import_reports (
    id          UUID PRIMARY KEY,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    imported_by UUID NOT NULL REFERENCES users (id),
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    imported    BOOLEAN NOT NULL,
    rows_loaded BIGINT NOT NULL,
    error_count BIGINT NOT NULL,
    -- The first errors by line: [{"line": 3, "message": "..."}].
    errors      JSONB NOT NULL DEFAULT '[]'
);
