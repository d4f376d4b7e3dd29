-- Supporting documents, their stored bytes, submissions to customs and the company evidence
-- library. File contents live here too, in 1 MiB chunks written as an upload streams in.

-- One stored file. Chunks are written outside any long transaction while the upload streams;
-- the blob counts only once `complete` is set, in the same transaction that attaches it to a
-- document or library entry. Incomplete blobs (a client that went away, a server killed
-- mid-upload) and complete ones nothing uses are removed by housekeeping.
CREATE TABLE document_blobs (
    id           UUID PRIMARY KEY,
    owner_id     UUID NOT NULL REFERENCES organisations (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    complete     BOOLEAN NOT NULL DEFAULT false,
    byte_size    BIGINT NOT NULL DEFAULT 0 CHECK (byte_size >= 0),
    sha256       TEXT CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format       TEXT,
    content_type TEXT,
    -- 'clean' (passed clamd) or 'not_scanned' (no scanner configured).
    scan         TEXT CHECK (scan IN ('clean', 'not_scanned')),
    CHECK (NOT complete OR (sha256 IS NOT NULL AND format IS NOT NULL AND content_type IS NOT NULL AND scan IS NOT NULL))
);
CREATE INDEX document_blobs_housekeeping_idx ON document_blobs (complete, created_at);

CREATE TABLE document_chunks (
    blob_id UUID NOT NULL REFERENCES document_blobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL CHECK (seq >= 0),
    data    BYTEA NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
-- The bytes are already compressed or small; TOAST compression would only cost CPU.
ALTER TABLE document_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- The company evidence library: documents that serve many shipments. Entries are never changed
-- or deleted; a new version supersedes an old one and both stay listed.
CREATE TABLE library_documents (
    id           UUID PRIMARY KEY,
    owner_id     UUID NOT NULL REFERENCES organisations (id),
    blob_id      UUID NOT NULL REFERENCES document_blobs (id),
    doc_type     TEXT NOT NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    supplier     TEXT NOT NULL DEFAULT '' CHECK (length(supplier) <= 200),
    tariff_codes TEXT[] NOT NULL DEFAULT '{}',
    valid_from   DATE NOT NULL,
    valid_until  DATE,
    file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    supersedes   UUID UNIQUE REFERENCES library_documents (id),
    created_by   UUID NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX library_documents_owner_idx ON library_documents (owner_id, created_at DESC);

CREATE FUNCTION library_documents_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'library documents are never changed: add a new version';
END $$;
CREATE TRIGGER library_documents_final BEFORE UPDATE OR DELETE ON library_documents
    FOR EACH ROW EXECUTE FUNCTION library_documents_are_final();

-- Each time a trader submits an assessment's documents to customs.
CREATE TABLE assessment_submissions (
    id            UUID PRIMARY KEY,
    assessment_id UUID NOT NULL REFERENCES assessments (id),
    submitted_by  UUID NOT NULL REFERENCES users (id),
    submitted_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX assessment_submissions_idx ON assessment_submissions (assessment_id, submitted_at);

CREATE FUNCTION submissions_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are never changed';
END $$;
CREATE TRIGGER assessment_submissions_final BEFORE UPDATE OR DELETE ON assessment_submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_are_final();

-- A document on a saved assessment: uploaded for it, or a library document picked for it (the
-- same blob, no copy). A draft (no submission yet) may be removed; once submitted it is final.
CREATE TABLE documents (
    id              UUID PRIMARY KEY,
    assessment_id   UUID NOT NULL REFERENCES assessments (id),
    blob_id         UUID NOT NULL REFERENCES document_blobs (id),
    library_id      UUID REFERENCES library_documents (id),
    doc_type        TEXT NOT NULL,
    description     TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    confidential    BOOLEAN NOT NULL DEFAULT false,
    file_name       TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    sha256          TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    supersedes      UUID UNIQUE REFERENCES documents (id),
    uploaded_by     UUID NOT NULL REFERENCES users (id),
    uploaded_by_org UUID NOT NULL REFERENCES organisations (id),
    uploaded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    submission_id   UUID REFERENCES assessment_submissions (id),
    -- The same file twice on one assessment is a mistake; a new version is a different file.
    UNIQUE (assessment_id, sha256)
);
CREATE INDEX documents_assessment_idx ON documents (assessment_id, uploaded_at);
CREATE INDEX documents_drafts_idx ON documents (uploaded_at) WHERE submission_id IS NULL;

-- Once submitted, a document never changes and is never deleted; the only change a draft takes
-- is being submitted.
CREATE FUNCTION documents_submitted_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.submission_id IS NOT NULL THEN
        RAISE EXCEPTION 'submitted documents are never changed or deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF (to_jsonb(NEW) - 'submission_id') <> (to_jsonb(OLD) - 'submission_id') THEN
        RAISE EXCEPTION 'a draft document changes only by being submitted';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER documents_submitted_final BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_submitted_are_final();

-- The bytes of a submitted document or a library entry are final too.
CREATE FUNCTION blobs_in_use_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Through jsonb: PL/pgSQL resolves every `OLD.field` named in an expression, even in a CASE
    -- branch not taken, and each table lacks the other's column.
    blob UUID := (to_jsonb(OLD) ->> CASE WHEN TG_TABLE_NAME = 'document_chunks' THEN 'blob_id' ELSE 'id' END)::uuid;
BEGIN
    IF EXISTS (SELECT 1 FROM documents WHERE blob_id = blob AND submission_id IS NOT NULL)
       OR EXISTS (SELECT 1 FROM library_documents WHERE blob_id = blob) THEN
        RAISE EXCEPTION 'stored files of submitted or library documents are never changed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER document_chunks_final BEFORE UPDATE OR DELETE ON document_chunks
    FOR EACH ROW EXECUTE FUNCTION blobs_in_use_are_final();
CREATE TRIGGER document_blobs_final BEFORE DELETE ON document_blobs
    FOR EACH ROW EXECUTE FUNCTION blobs_in_use_are_final();
