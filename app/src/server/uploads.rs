//! Receiving one uploaded file: streamed into a new blob in 1 MiB chunks as it arrives, hashed
//! (SHA-256) and fed to the virus scanner on the way, its format decided from its content, and
//! refused, with nothing left stored, when it is empty, too large, of the wrong kind, unreadable,
//! protected, an archive bomb or infected. The blob stays incomplete (invisible) until the caller
//! completes it with [`blobs::complete`] in the transaction that attaches it.
//!
//! Memory per upload is a small constant whatever the file's size: one chunk being filled, the
//! head and the tail the inspection reads ([`inspect`]); the file is never held whole. Each chunk
//! is written on its own (autocommit), so no long transaction holds a connection while a slow
//! client sends. Whether a file duplicates one already attached, and how many an assessment may
//! hold, are decided by the caller.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::documents::{FileFormat, Refusal, clean_file_name};
use crate::error::AppError;

use super::blobs;
use super::clamav::{self, Scan, Verdict};
use super::inspect::{self, HEAD_BYTES, Sample, TAIL_BYTES};
use super::settings::DocumentSettings;

/// The size of the chunk rows a file is stored in.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// A file stored in a still incomplete blob, and what was learnt while receiving it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub blob_id: Uuid,
    /// Lower-case hex.
    pub sha256: String,
    pub byte_size: u64,
    pub format: FileFormat,
    /// Passed the virus scanner; false when no scanner is configured.
    pub scanned: bool,
}

#[derive(Debug)]
pub enum ReceiveError {
    /// The file is not accepted, for a reason the uploader is told.
    Refused(Refusal),
    /// Storing or scanning failed (the scanner unreachable, the database, the client gone); the
    /// file is not accepted either, and never kept unscanned.
    Failed(AppError),
}

fn failed(detail: impl std::fmt::Display) -> ReceiveError {
    ReceiveError::Failed(AppError::internal(detail))
}

/// Streams one file into a new, still incomplete blob of `owner`; on refusal or failure the blob
/// is deleted.
pub async fn receive<S, E>(
    pool: &PgPool,
    settings: &DocumentSettings,
    owner: Uuid,
    file_name: &str,
    body: S,
) -> Result<Received, ReceiveError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let name = clean_file_name(file_name).ok_or(ReceiveError::Refused(Refusal::NoName))?;
    // A name that claims no accepted format is refused before anything is read or stored.
    let claimed =
        FileFormat::from_extension(&name).ok_or(ReceiveError::Refused(Refusal::TypeNotAllowed))?;
    // The scanner is reached first: when it cannot be, nothing is stored at all.
    let scan = match settings.clamd.as_deref() {
        None => None,
        Some(setting) => {
            let address = clamav::Address::parse(setting).ok_or_else(|| {
                failed(format!(
                    "the clamd address {setting:?} is neither unix:/path nor tcp:host:port"
                ))
            })?;
            Some(Scan::start(&address).await.map_err(failed)?)
        }
    };
    let blob_id = Uuid::new_v4();
    patiently(|| blobs::create(pool, blob_id, owner))
        .await
        .map_err(failed)?;
    let cleanup = Cleanup {
        pool: pool.clone(),
        blob_id,
        armed: true,
    };
    match stream_in(pool, settings, blob_id, claimed, body, scan).await {
        Ok(received) => {
            cleanup.disarm();
            Ok(received)
        }
        Err(e) => {
            cleanup.now().await;
            Err(e)
        }
    }
}

async fn stream_in<S, E>(
    pool: &PgPool,
    settings: &DocumentSettings,
    blob_id: Uuid,
    claimed: FileFormat,
    mut body: S,
    mut scan: Option<Scan>,
) -> Result<Received, ReceiveError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut hasher = Sha256::new();
    let mut chunk: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
    let mut head: Vec<u8> = Vec::with_capacity(HEAD_BYTES);
    // The end of the chunks already stored: with the chunk being filled, the file's tail.
    let mut stored_tail: Vec<u8> = Vec::with_capacity(TAIL_BYTES);
    let mut size: u64 = 0;
    let mut seq: i32 = 0;
    while let Some(piece) = body.next().await {
        let piece = piece.map_err(|e| failed(format!("the upload stopped: {e}")))?;
        size += piece.len() as u64;
        if size > settings.max_file_bytes {
            return Err(ReceiveError::Refused(Refusal::TooLarge));
        }
        hasher.update(&piece);
        let wanted = (HEAD_BYTES - head.len()).min(piece.len());
        head.extend_from_slice(&piece[..wanted]);
        let mut rest: &[u8] = &piece;
        while !rest.is_empty() {
            let room = CHUNK_BYTES - chunk.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            chunk.extend_from_slice(now);
            rest = later;
            if chunk.len() == CHUNK_BYTES {
                store(pool, blob_id, seq, &chunk, scan.as_mut()).await?;
                stored_tail.clear();
                stored_tail.extend_from_slice(&chunk[CHUNK_BYTES - TAIL_BYTES..]);
                chunk.clear();
                seq += 1;
            }
        }
    }
    if size == 0 {
        return Err(ReceiveError::Refused(Refusal::Empty));
    }
    let tail = tail(&stored_tail, &chunk);
    let sample = Sample {
        head: &head,
        tail: &tail,
        size,
    };
    let format =
        inspect::inspect(&sample, Some(claimed), settings).map_err(ReceiveError::Refused)?;
    drop(tail);
    if !chunk.is_empty() {
        store(pool, blob_id, seq, &chunk, scan.as_mut()).await?;
    }
    let scanned = match scan {
        None => false,
        Some(scan) => match scan.finish().await.map_err(failed)? {
            Verdict::Clean => true,
            Verdict::Found(signature) => {
                tracing::warn!(%blob_id, %signature, "the virus scanner refused an upload");
                return Err(ReceiveError::Refused(Refusal::Virus));
            }
        },
    };
    Ok(Received {
        blob_id,
        sha256: format!("{:x}", hasher.finalize()),
        byte_size: size,
        format,
        scanned,
    })
}

/// Writes one chunk row and, at the same time, sends the chunk to the scanner.
async fn store(
    pool: &PgPool,
    blob_id: Uuid,
    seq: i32,
    data: &[u8],
    scan: Option<&mut Scan>,
) -> Result<(), ReceiveError> {
    let insert = patiently(|| blobs::append(pool, blob_id, seq, data));
    match scan {
        Some(scan) => {
            let (stored, scanned) = tokio::join!(insert, scan.send(data));
            stored.map_err(failed)?;
            scanned.map_err(failed)
        }
        None => insert.await.map_err(failed),
    }
}

/// How long an upload's statement may wait for a database connection while every one is busy.
/// Meanwhile the upload is not read, so the client is slowed down rather than refused.
const CONNECTION_WAIT: Duration = Duration::from_secs(120);

/// Runs `statement` again while the pool's own (short) acquire timeout runs out, up to
/// [`CONNECTION_WAIT`]: many uploads at once share the pool one short statement at a time.
async fn patiently<T, F, Fut>(mut statement: F) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
{
    let started = Instant::now();
    loop {
        match statement().await {
            Err(sqlx::Error::PoolTimedOut) if started.elapsed() < CONNECTION_WAIT => continue,
            done => return done,
        }
    }
}

/// The file's last [`TAIL_BYTES`]: the end of the stored chunks, then the chunk being filled.
fn tail<'a>(stored_tail: &'a [u8], chunk: &'a [u8]) -> Cow<'a, [u8]> {
    if chunk.len() >= TAIL_BYTES {
        return Cow::Borrowed(&chunk[chunk.len() - TAIL_BYTES..]);
    }
    if chunk.is_empty() {
        return Cow::Borrowed(stored_tail);
    }
    let from_stored = (TAIL_BYTES - chunk.len()).min(stored_tail.len());
    let mut joined = Vec::with_capacity(from_stored + chunk.len());
    joined.extend_from_slice(&stored_tail[stored_tail.len() - from_stored..]);
    joined.extend_from_slice(chunk);
    Cow::Owned(joined)
}

/// Deletes the blob of an upload that did not succeed: at once when `receive` returns an error,
/// and from a background task when its future is dropped midway (the request cancelled).
/// Housekeeping removes whatever a killed server leaves behind.
struct Cleanup {
    pool: PgPool,
    blob_id: Uuid,
    armed: bool,
}

impl Cleanup {
    fn disarm(mut self) {
        self.armed = false;
    }

    async fn now(mut self) {
        self.armed = false;
        delete_logged(&self.pool, self.blob_id).await;
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (pool, blob_id) = (self.pool.clone(), self.blob_id);
            runtime.spawn(async move { delete_logged(&pool, blob_id).await });
        }
    }
}

async fn delete_logged(pool: &PgPool, blob_id: Uuid) {
    if let Err(e) = patiently(|| blobs::delete(pool, blob_id)).await {
        tracing::warn!(%blob_id, error = %e, "an unfinished upload's blob is left for housekeeping");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_joins_the_stored_end_and_the_chunk_being_filled() {
        let stored: Vec<u8> = (0..TAIL_BYTES).map(|i| (i % 251) as u8).collect();
        let chunk = vec![7u8; 1000];
        let joined = tail(&stored, &chunk);
        assert_eq!(joined.len(), TAIL_BYTES);
        assert_eq!(&joined[TAIL_BYTES - 1000..], &chunk[..]);
        assert_eq!(&joined[..TAIL_BYTES - 1000], &stored[1000..]);
        assert_eq!(tail(&stored, &[]).len(), TAIL_BYTES);
        assert_eq!(tail(&[], b"abc").as_ref(), b"abc");
        let big = vec![1u8; TAIL_BYTES + 5];
        assert_eq!(tail(&stored, &big).as_ref(), &big[5..]);
    }
}
