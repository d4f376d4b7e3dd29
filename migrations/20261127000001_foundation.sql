-- Answers to the footer question "Is this page useful?". No personal data: the page path, the
-- answer, the page language and when.
CREATE TABLE page_feedback (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page        TEXT NOT NULL CHECK (page LIKE '/%' AND length(page) <= 2048),
    useful      BOOLEAN NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'en')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
