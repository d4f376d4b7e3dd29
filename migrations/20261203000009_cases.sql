-- Customs cases: trader queries and requests for information (the doubt procedure of WTO
-- Decision 6.1), their messages and attachments, the append-only timeline, notifications per
-- recipient, reminders, the working-day calendar and the customs roles that work cases.

-- Customs supervisors assign and move cases and read the reports; auditors read everything and
-- change nothing.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (
    'org_admin', 'trader', 'compliance', 'customs_officer', 'customs_supervisor',
    'customs_auditor', 'valuation_admin'));
-- Members who follow cases get an email for every new step (on by default).
ALTER TABLE users ADD COLUMN follows_cases BOOLEAN NOT NULL DEFAULT true;
-- An importer may let the broker acting on a case get its notifications too.
ALTER TABLE organisations ADD COLUMN case_mail_to_broker BOOLEAN NOT NULL DEFAULT false;

-- Mail that failed `VALORA_MAIL_MAX_ATTEMPTS` times stops being retried and is marked failed.
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMPTZ;
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Days that are not working days besides Saturdays and Sundays (national holidays), kept by a
-- valuation administrator. Seeded with Peru's national holidays for 2026 and 2027.
CREATE TABLE holidays (
    day     DATE PRIMARY KEY,
    name    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    added_by UUID REFERENCES users (id),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO holidays (day, name) VALUES
    ('2026-01-01', 'Año Nuevo'),
    ('2026-04-02', 'Jueves Santo'),
    ('2026-04-03', 'Viernes Santo'),
    ('2026-05-01', 'Día del Trabajo'),
    ('2026-06-07', 'Batalla de Arica y Día de la Bandera'),
    ('2026-06-29', 'San Pedro y San Pablo'),
    ('2026-07-23', 'Día de la Fuerza Aérea del Perú'),
    ('2026-07-28', 'Fiestas Patrias'),
    ('2026-07-29', 'Fiestas Patrias'),
    ('2026-08-06', 'Batalla de Junín'),
    ('2026-08-30', 'Santa Rosa de Lima'),
    ('2026-10-08', 'Combate de Angamos'),
    ('2026-11-01', 'Todos los Santos'),
    ('2026-12-08', 'Inmaculada Concepción'),
    ('2026-12-09', 'Batalla de Ayacucho'),
    ('2026-12-25', 'Navidad'),
    ('2027-01-01', 'Año Nuevo'),
    ('2027-03-25', 'Jueves Santo'),
    ('2027-03-26', 'Viernes Santo'),
    ('2027-05-01', 'Día del Trabajo'),
    ('2027-06-07', 'Batalla de Arica y Día de la Bandera'),
    ('2027-06-29', 'San Pedro y San Pablo'),
    ('2027-07-23', 'Día de la Fuerza Aérea del Perú'),
    ('2027-07-28', 'Fiestas Patrias'),
    ('2027-07-29', 'Fiestas Patrias'),
    ('2027-08-06', 'Batalla de Junín'),
    ('2027-08-30', 'Santa Rosa de Lima'),
    ('2027-10-08', 'Combate de Angamos'),
    ('2027-11-01', 'Todos los Santos'),
    ('2027-12-08', 'Inmaculada Concepción'),
    ('2027-12-09', 'Batalla de Ayacucho'),
    ('2027-12-25', 'Navidad');

-- One case. `state` is the internal state (domain::cases::CaseState); `due_on` is the date of
-- the clock that runs now (customs' response target, or the trader's answer date while a
-- request awaits the trader). The assessment's tariff code, origin and level are copied at
-- creation so the queue filters without joining JSON.
CREATE TABLE cases (
    id              UUID PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE CHECK (reference ~ '^CAS-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$'),
    kind            TEXT NOT NULL CHECK (kind IN ('query', 'request')),
    state           TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'in_progress', 'awaiting_trader', 'under_review', 'closed', 'withdrawn')),
    importer_id     UUID NOT NULL REFERENCES organisations (id),
    -- The broker firm that opened the case for the importer, if one did.
    broker_id       UUID REFERENCES organisations (id),
    assessment_id   UUID REFERENCES assessments (id),
    declaration_ref TEXT NOT NULL DEFAULT '' CHECK (length(declaration_ref) <= 40),
    subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    category        TEXT NOT NULL,
    tariff_code     TEXT NOT NULL DEFAULT '',
    origin          TEXT NOT NULL DEFAULT '',
    level           TEXT NOT NULL DEFAULT '',
    created_by      UUID NOT NULL REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    assignee_id     UUID REFERENCES users (id),
    due_on          DATE,
    -- The working-day clock: days counted while the case waited for the trader (finished
    -- waits), and the filing day the current wait began on.
    paused_days     INTEGER NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
    awaiting_since  DATE,
    outcome         TEXT CHECK (outcome IN ('answered', 'dispelled', 'confirmed')),
    outcome_grounds TEXT NOT NULL DEFAULT '' CHECK (length(outcome_grounds) <= 10000),
    next_method     TEXT NOT NULL DEFAULT '',
    closed_at       TIMESTAMPTZ,
    -- The day it closed on time (closed filing day <= the due date in force then).
    closed_on_time  BOOLEAN,
    last_activity_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((state = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL)),
    CHECK (kind = 'query' OR assessment_id IS NOT NULL OR declaration_ref <> '')
);
CREATE INDEX cases_importer_idx ON cases (importer_id, last_activity_at DESC);
CREATE INDEX cases_queue_idx ON cases (state, assignee_id, due_on);
CREATE INDEX cases_assignee_idx ON cases (assignee_id, state) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_created_idx ON cases (created_at);
CREATE INDEX cases_tariff_idx ON cases (tariff_code text_pattern_ops);
CREATE INDEX cases_words_idx ON cases USING gin (to_tsvector('simple', subject || ' ' || reference || ' ' || declaration_ref));

-- A message of the thread. A trader's first message may be a draft (sent_at NULL) while the
-- query is; once sent it never changes. `client_key` is the form's one-time key: a repeated
-- send (double click, a no-JS form posted again) finds the message it already made.
CREATE TABLE case_messages (
    id          UUID PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases (id),
    side        TEXT NOT NULL CHECK (side IN ('trader', 'customs')),
    -- 'message', or the step it carries: 'request', 'answer', 'nothing_more', 'extension',
    -- 'extension_decision', 'outcome'.
    purpose     TEXT NOT NULL DEFAULT 'message',
    author_id   UUID NOT NULL REFERENCES users (id),
    author_org  UUID NOT NULL REFERENCES organisations (id),
    acting_for  UUID REFERENCES organisations (id),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    client_key  UUID NOT NULL,
    UNIQUE (case_id, client_key)
);
CREATE INDEX case_messages_case_idx ON case_messages (case_id, created_at);

CREATE FUNCTION case_messages_sent_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.sent_at IS NOT NULL THEN
        RAISE EXCEPTION 'sent messages are never changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER case_messages_final BEFORE UPDATE OR DELETE ON case_messages
    FOR EACH ROW EXECUTE FUNCTION case_messages_sent_are_final();

-- When the other side first opened a message.
CREATE TABLE case_message_reads (
    message_id  UUID PRIMARY KEY REFERENCES case_messages (id),
    read_by     UUID NOT NULL REFERENCES users (id),
    read_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Files attached to a message: a new upload, a library document or one of the assessment's
-- documents (the same stored bytes, never a copy). Final with their message.
CREATE TABLE case_attachments (
    id          UUID PRIMARY KEY,
    message_id  UUID NOT NULL REFERENCES case_messages (id),
    blob_id     UUID NOT NULL REFERENCES document_blobs (id),
    library_id  UUID REFERENCES library_documents (id),
    document_id UUID REFERENCES documents (id),
    doc_type    TEXT NOT NULL,
    file_name   TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    sha256      TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    byte_size   BIGINT NOT NULL CHECK (byte_size >= 0),
    confidential BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (message_id, sha256)
);
CREATE INDEX case_attachments_blob_idx ON case_attachments (blob_id);

CREATE FUNCTION case_attachments_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM case_messages WHERE id = OLD.message_id AND sent_at IS NOT NULL) THEN
        RAISE EXCEPTION 'attachments of sent messages are never changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER case_attachments_final BEFORE UPDATE OR DELETE ON case_attachments
    FOR EACH ROW EXECUTE FUNCTION case_attachments_are_final();

-- The bytes of a case attachment are as final as those of a submitted document.
CREATE OR REPLACE FUNCTION blobs_in_use_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Through jsonb: PL/pgSQL resolves every `OLD.field` named in an expression, even in a CASE
    -- branch not taken, and each table lacks the other's column.
    blob UUID := (to_jsonb(OLD) ->> CASE WHEN TG_TABLE_NAME = 'document_chunks' THEN 'blob_id' ELSE 'id' END)::uuid;
BEGIN
    IF EXISTS (SELECT 1 FROM documents WHERE blob_id = blob AND submission_id IS NOT NULL)
       OR EXISTS (SELECT 1 FROM library_documents WHERE blob_id = blob)
       OR EXISTS (SELECT 1 FROM case_attachments WHERE blob_id = blob) THEN
        RAISE EXCEPTION 'stored files of submitted, library or case documents are never changed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

-- A request for information (Decision 6.1): the grounds, the document types asked for and the
-- due date; at most one extension; the answer, kept and marked late when filed after the due
-- date in force.
CREATE TABLE case_requests (
    id                   UUID PRIMARY KEY,
    case_id              UUID NOT NULL REFERENCES cases (id),
    issued_by            UUID NOT NULL REFERENCES users (id),
    issued_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    grounds              TEXT NOT NULL CHECK (length(grounds) BETWEEN 1 AND 10000),
    requested_types      TEXT[] NOT NULL DEFAULT '{}',
    period_days          INTEGER NOT NULL CHECK (period_days > 0),
    due_on               DATE NOT NULL,
    extension_asked_at   TIMESTAMPTZ,
    extension_asked_by   UUID REFERENCES users (id),
    extension_reason     TEXT NOT NULL DEFAULT '' CHECK (length(extension_reason) <= 10000),
    extension_decided_at TIMESTAMPTZ,
    extension_decided_by UUID REFERENCES users (id),
    extension_granted    BOOLEAN,
    -- The due date the extension gave, or why it was refused.
    extension_due_on     DATE,
    extension_refusal    TEXT NOT NULL DEFAULT '' CHECK (length(extension_refusal) <= 10000),
    answered_at          TIMESTAMPTZ,
    answered_by          UUID REFERENCES users (id),
    answer_kind          TEXT CHECK (answer_kind IN ('answer', 'nothing_more')),
    answer_message_id    UUID REFERENCES case_messages (id),
    answer_late          BOOLEAN,
    CHECK ((extension_granted IS TRUE) = (extension_due_on IS NOT NULL)),
    CHECK ((answered_at IS NULL) = (answer_kind IS NULL))
);
CREATE INDEX case_requests_case_idx ON case_requests (case_id, issued_at);
CREATE INDEX case_requests_open_idx ON case_requests (due_on) WHERE answered_at IS NULL;

-- The timeline: one row per step, never changed or removed (the trigger refuses UPDATE,
-- DELETE and TRUNCATE for every role, the owner included).
CREATE TABLE case_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases (id),
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- domain::cases::EventKind codes.
    kind        TEXT NOT NULL,
    actor_id    UUID REFERENCES users (id),
    actor_org   UUID REFERENCES organisations (id),
    acting_for  UUID REFERENCES organisations (id),
    -- The person a case was assigned to, a reason, a due date, the message: per kind.
    detail      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

CREATE FUNCTION case_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only';
END;
$$;
CREATE TRIGGER case_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_are_append_only();
CREATE TRIGGER case_events_no_truncate
    BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_are_append_only();

-- Each notification mail a step wrote, per recipient: the delivery outcome is the outbox row's
-- (sent_at, failed_at).
CREATE TABLE case_notifications (
    outbox_id   BIGINT PRIMARY KEY REFERENCES outbox (id),
    case_id     UUID NOT NULL REFERENCES cases (id),
    event_id    BIGINT REFERENCES case_events (id),
    user_id     UUID NOT NULL REFERENCES users (id),
    -- 'step' or a reminder ('reminder_before', 'reminder_due').
    purpose     TEXT NOT NULL DEFAULT 'step'
);
CREATE INDEX case_notifications_case_idx ON case_notifications (case_id);

-- Reminders already written, so each goes out once per request and due date.
CREATE TABLE case_reminders (
    request_id  UUID NOT NULL REFERENCES case_requests (id),
    due_on      DATE NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('reminder_before', 'reminder_due')),
    written_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, due_on, purpose)
);
