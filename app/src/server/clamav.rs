//! A clamd client for `zINSTREAM`: a scan is opened before an upload is read, fed each chunk as
//! it is stored, and asked for its verdict at the end, so a file is never held whole to scan it.
//!
//! clamd refuses a stream longer than its `StreamMaxLength` (25 MB by default) with
//! `INSTREAM size limit exceeded`: it must be set above `VALORA_DOCUMENT_MAX_BYTES`, or every
//! upload near the limit fails (closed, as any scanner failure: nothing is stored).
//!
//! Written by hand rather than with the `clamav-client` crate (2.x): its Tokio `scan_stream`
//! owns the whole input stream and answers only at its end, reports a connection clamd closed
//! early (the size limit) as a bare broken pipe without clamd's reason, and its `clean` reads
//! every answer but `OK`, errors included, as "infected". The protocol itself is a few lines:
//! a command, 4-byte big-endian lengths before each piece of data, a zero length to finish,
//! one NUL-terminated answer.

use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one piece of data may take to be taken by clamd.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long clamd may take to scan a whole file once it has it.
const VERDICT_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest answer read (a signature name is far shorter).
const MAX_REPLY: u64 = 4096;

/// Where clamd listens: the `VALORA_CLAMD` setting, `unix:/path` or `tcp:host:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    Tcp(String),
}

impl Address {
    pub fn parse(setting: &str) -> Option<Address> {
        if let Some(path) = setting.strip_prefix("unix:") {
            return (!path.is_empty()).then(|| Address::Unix(PathBuf::from(path)));
        }
        let host_port = setting.strip_prefix("tcp:")?;
        let (host, port) = host_port.rsplit_once(':')?;
        (!host.is_empty() && port.parse::<u16>().is_ok()).then(|| Address::Tcp(host_port.into()))
    }
}

/// What clamd said about a whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// A signature matched; its name.
    Found(String),
}

/// Why no verdict came. Every one of these means the file was not scanned, so it is refused.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot reach clamd at {address}: {source}")]
    Unreachable {
        address: String,
        source: std::io::Error,
    },
    #[error("clamd connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("clamd took longer than {0:?}")]
    Timeout(Duration),
    /// clamd answered with an error (`INSTREAM size limit exceeded. ERROR`, ...).
    #[error("clamd refused the scan: {0}")]
    Refused(String),
    #[error("clamd gave an answer that is not a verdict: {0:?}")]
    Malformed(String),
}

trait Connection: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Connection for T {}

async fn connect(address: &Address) -> Result<Box<dyn Connection>, ScanError> {
    let connecting = async {
        Ok::<Box<dyn Connection>, std::io::Error>(match address {
            Address::Unix(path) => Box::new(UnixStream::connect(path).await?),
            Address::Tcp(host_port) => {
                let stream = TcpStream::connect(host_port.as_str()).await?;
                stream.set_nodelay(true)?;
                Box::new(stream)
            }
        })
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(source)) => Err(ScanError::Unreachable {
            address: format!("{address:?}"),
            source,
        }),
        Err(_) => Err(ScanError::Timeout(CONNECT_TIMEOUT)),
    }
}

async fn read_reply(connection: &mut Box<dyn Connection>) -> Result<String, ScanError> {
    let mut reply = Vec::new();
    connection.take(MAX_REPLY).read_to_end(&mut reply).await?;
    let text = String::from_utf8_lossy(&reply);
    Ok(text.trim_end_matches(['\0', '\n']).to_string())
}

/// Whether clamd answers `PING`.
pub async fn ping(address: &Address) -> Result<(), ScanError> {
    let mut connection = connect(address).await?;
    connection.write_all(b"zPING\0").await?;
    let reply = tokio::time::timeout(SEND_TIMEOUT, read_reply(&mut connection))
        .await
        .map_err(|_| ScanError::Timeout(SEND_TIMEOUT))??;
    if reply == "PONG" {
        Ok(())
    } else {
        Err(ScanError::Malformed(reply))
    }
}

/// One file being streamed to clamd.
pub struct Scan {
    connection: Box<dyn Connection>,
}

impl Scan {
    /// Connects and opens the stream.
    pub async fn start(address: &Address) -> Result<Scan, ScanError> {
        let mut connection = connect(address).await?;
        connection.write_all(b"zINSTREAM\0").await?;
        Ok(Scan { connection })
    }

    /// Sends the next piece of the file (any length up to 4 GiB).
    pub async fn send(&mut self, data: &[u8]) -> Result<(), ScanError> {
        if data.is_empty() {
            return Ok(());
        }
        let length = u32::try_from(data.len())
            .map_err(|_| ScanError::Refused("a piece longer than 4 GiB".into()))?;
        let writing = async {
            self.connection.write_all(&length.to_be_bytes()).await?;
            self.connection.write_all(data).await
        };
        match tokio::time::timeout(SEND_TIMEOUT, writing).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(self.reason_for_closing(e).await),
            Err(_) => Err(ScanError::Timeout(SEND_TIMEOUT)),
        }
    }

    /// Ends the stream and waits for clamd's verdict.
    pub async fn finish(mut self) -> Result<Verdict, ScanError> {
        let finishing = async {
            if let Err(e) = self.connection.write_all(&0u32.to_be_bytes()).await {
                return Err(self.reason_for_closing(e).await);
            }
            self.connection.flush().await?;
            read_reply(&mut self.connection).await
        };
        let reply = tokio::time::timeout(VERDICT_TIMEOUT, finishing)
            .await
            .map_err(|_| ScanError::Timeout(VERDICT_TIMEOUT))??;
        parse_reply(&reply)
    }

    /// clamd closes the connection when it refuses a stream (the size limit), after saying why:
    /// that answer is a better error than the broken pipe writing then gives.
    async fn reason_for_closing(&mut self, error: std::io::Error) -> ScanError {
        match tokio::time::timeout(Duration::from_secs(1), read_reply(&mut self.connection)).await {
            Ok(Ok(reply)) if !reply.is_empty() => match parse_reply(&reply) {
                Err(refused) => refused,
                Ok(verdict) => ScanError::Malformed(format!("{verdict:?} before the end")),
            },
            _ => ScanError::Io(error),
        }
    }
}

/// Reads clamd's answer to `INSTREAM`: `stream: OK`, `stream: <signature> FOUND`, or an error
/// (`INSTREAM size limit exceeded. ERROR`, `stream: <reason> ERROR`).
pub fn parse_reply(reply: &str) -> Result<Verdict, ScanError> {
    let reply = reply.trim_end_matches(['\0', '\n']).trim();
    if reply.ends_with("ERROR") {
        return Err(ScanError::Refused(reply.to_string()));
    }
    match reply.strip_prefix("stream: ") {
        Some("OK") => Ok(Verdict::Clean),
        Some(found) => match found.strip_suffix(" FOUND") {
            Some(signature) if !signature.is_empty() => Ok(Verdict::Found(signature.to_string())),
            _ => Err(ScanError::Malformed(reply.to_string())),
        },
        None => Err(ScanError::Malformed(reply.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_a_unix_socket_or_a_tcp_port() {
        assert_eq!(
            Address::parse("unix:/run/clamav/clamd.ctl"),
            Some(Address::Unix("/run/clamav/clamd.ctl".into()))
        );
        assert_eq!(
            Address::parse("tcp:127.0.0.1:3310"),
            Some(Address::Tcp("127.0.0.1:3310".into()))
        );
        assert_eq!(
            Address::parse("tcp:[::1]:3310"),
            Some(Address::Tcp("[::1]:3310".into()))
        );
        for wrong in [
            "",
            "unix:",
            "tcp:host",
            "tcp::3310",
            "tcp:host:port",
            "/run/clamd",
        ] {
            assert_eq!(Address::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn answers_read_as_clean_found_or_an_error() {
        assert_eq!(parse_reply("stream: OK\0").unwrap(), Verdict::Clean);
        assert_eq!(
            parse_reply("stream: Eicar-Signature FOUND\0").unwrap(),
            Verdict::Found("Eicar-Signature".into())
        );
        assert!(matches!(
            parse_reply("INSTREAM size limit exceeded. ERROR\0"),
            Err(ScanError::Refused(_))
        ));
        assert!(matches!(
            parse_reply("stream: Can't allocate memory ERROR"),
            Err(ScanError::Refused(_))
        ));
        assert!(matches!(
            parse_reply("stream:  FOUND"),
            Err(ScanError::Malformed(_))
        ));
        assert!(matches!(parse_reply(""), Err(ScanError::Malformed(_))));
        assert!(matches!(parse_reply("PONG"), Err(ScanError::Malformed(_))));
    }
}
