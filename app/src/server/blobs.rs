//! SQL of stored files (`document_blobs` and their 1 MiB `document_chunks`): written chunk by
//! chunk as an upload streams in, completed in the transaction that attaches the file, streamed
//! out a chunk at a time, and purged when an upload was cut off or nothing uses the file.

use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::uploads::Received;

/// Starts an empty, incomplete blob of `owner`.
pub async fn create(db: impl PgExecutor<'_>, id: Uuid, owner: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO document_blobs (id, owner_id) VALUES ($1, $2)")
        .bind(id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(())
}

/// Stores chunk `seq` (from 0) of a blob being written, in a transaction of its own.
///
/// The commit does not wait for the WAL to reach the disk (`synchronous_commit = off`), which
/// takes most of the time a chunk costs: a chunk lost in a crash belongs to an upload that
/// failed anyway, and the transaction that completes the blob commits synchronously, which
/// flushes the WAL of every chunk before it (the WAL is one sequence), so a file is durable
/// whole by the time any document shows it.
pub async fn append(
    pool: &PgPool,
    blob_id: Uuid,
    seq: i32,
    data: &[u8],
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO document_chunks (blob_id, seq, data) VALUES ($1, $2, $3)")
        .bind(blob_id)
        .bind(seq)
        .bind(data)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Marks a received blob complete, with what was learnt while receiving it. Call it in the
/// transaction that inserts the document or library row, so the file counts only with it.
/// `RowNotFound` when the blob is gone (purged meanwhile) or was already completed.
pub async fn complete(tx: &mut PgConnection, received: &Received) -> Result<(), sqlx::Error> {
    let byte_size = i64::try_from(received.byte_size).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let done = sqlx::query(
        "UPDATE document_blobs
         SET complete = true, byte_size = $2, sha256 = $3, format = $4, content_type = $5, scan = $6
         WHERE id = $1 AND NOT complete",
    )
    .bind(received.blob_id)
    .bind(byte_size)
    .bind(&received.sha256)
    .bind(received.format.code())
    .bind(received.format.content_type())
    .bind(if received.scanned {
        "clean"
    } else {
        "not_scanned"
    })
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(sqlx::Error::RowNotFound)
    }
}

/// Deletes a blob and its chunks (the database refuses for the file of a submitted or library
/// document, and a document still naming it).
pub async fn delete(pool: &PgPool, blob_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM document_blobs WHERE id = $1")
        .bind(blob_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// What a download needs to know before the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub byte_size: u64,
    pub content_type: String,
}

/// A complete blob's size and content type; `None` for a missing or incomplete one.
pub async fn stored(pool: &PgPool, blob_id: Uuid) -> Result<Option<StoredFile>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT byte_size, content_type FROM document_blobs WHERE id = $1 AND complete",
    )
    .bind(blob_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(byte_size, content_type)| StoredFile {
        byte_size: u64::try_from(byte_size).unwrap_or_default(),
        content_type,
    }))
}

/// A blob's bytes, one chunk row per item, in order. Each chunk is its own short query, so a
/// slow download holds neither a connection nor more than one chunk in memory.
pub fn chunks(
    pool: PgPool,
    blob_id: Uuid,
) -> impl Stream<Item = Result<Bytes, sqlx::Error>> + Send + 'static {
    futures_util::stream::try_unfold((pool, 0i32), move |(pool, seq)| async move {
        let data: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT data FROM document_chunks WHERE blob_id = $1 AND seq = $2")
                .bind(blob_id)
                .bind(seq)
                .fetch_optional(&pool)
                .await?;
        Ok(data.map(|data| (Bytes::from(data), (pool, seq + 1))))
    })
}

/// Deletes blobs still incomplete after `age`: an upload cut off, or a server stopped mid-upload
/// (an upload in progress is never that old).
pub async fn purge_incomplete(db: impl PgExecutor<'_>, age: Duration) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM document_blobs WHERE NOT complete AND created_at < now() - make_interval(secs => $1)",
    )
    .bind(age.as_secs_f64())
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes draft documents (never submitted) uploaded more than `days` ago, except one that a
/// document staying behind names as the version it supersedes.
pub async fn purge_drafts(db: impl PgExecutor<'_>, days: u32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM documents d
         WHERE d.submission_id IS NULL AND d.uploaded_at < now() - make_interval(days => $1)
           AND NOT EXISTS (
               SELECT 1 FROM documents n
               WHERE n.supersedes = d.id
                 AND (n.submission_id IS NOT NULL OR n.uploaded_at >= now() - make_interval(days => $1)))",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes complete blobs older than `days` that no document, library entry, case attachment or
/// verification evidence uses (an upload whose document was never saved, the file of a removed or purged draft).
pub async fn purge_unattached(db: impl PgExecutor<'_>, days: u32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM document_blobs b
         WHERE b.complete AND b.created_at < now() - make_interval(days => $1)
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.blob_id = b.id)
           AND NOT EXISTS (SELECT 1 FROM library_documents l WHERE l.blob_id = b.id)
           AND NOT EXISTS (SELECT 1 FROM case_attachments c WHERE c.blob_id = b.id)
           AND NOT EXISTS (SELECT 1 FROM organisation_evidence e WHERE e.blob_id = b.id)",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
