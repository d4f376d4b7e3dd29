-- The tariff nomenclature: HS chapters (2 digits), headings (4), subheadings (6) and national
-- subdivisions (8 or 10 digits), each under its parent.
CREATE TABLE tariff_lines (
    code            TEXT PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}){0,4}$'),
    parent          TEXT REFERENCES tariff_lines (code),
    section         TEXT NOT NULL,
    description_en  TEXT,
    description_es  TEXT,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((length(code) = 2) = (parent IS NULL)),
    CHECK (description_en IS NOT NULL OR description_es IS NOT NULL)
);
CREATE INDEX tariff_lines_parent_idx ON tariff_lines (parent);
