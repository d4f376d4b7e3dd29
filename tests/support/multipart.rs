//! A multipart upload written by hand onto a TCP connection, as a browser posts the documents
//! form: the test decides when each byte of the file goes, can stop midway (a client that goes
//! away, a server killed meanwhile) and can send one large buffer many times without copying it.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BOUNDARY: &str = "valora-test-boundary-7MA4YWxkTrZu0gW";

/// An upload whose request head and form fields are sent; the file's bytes follow.
pub struct RawUpload {
    stream: TcpStream,
    closing: Vec<u8>,
    remaining: usize,
}

impl RawUpload {
    /// Opens `POST path` on `base` (`http://host:port`) with the session `cookie` and sends the
    /// text `fields`, then the head of one `files` part named `file_name` whose `file_len` bytes
    /// are to follow. `accept` is the `Accept` header (`application/json` for the script's way).
    pub async fn start(
        base: &str,
        path: &str,
        cookie: &str,
        accept: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file_len: usize,
    ) -> RawUpload {
        RawUpload::start_part(
            base,
            path,
            (cookie, accept),
            fields,
            ("files", file_name),
            file_len,
        )
        .await
    }

    /// [`start`](Self::start) with the file in a part named `part.0` (`file` for a case
    /// message).
    pub async fn start_part(
        base: &str,
        path: &str,
        (cookie, accept): (&str, &str),
        fields: &[(&str, &str)],
        (part, file_name): (&str, &str),
        file_len: usize,
    ) -> RawUpload {
        let host = base
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let mut opening = String::new();
        for (name, value) in fields {
            opening.push_str(&format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        opening.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ));
        let closing = format!("\r\n--{BOUNDARY}--\r\n").into_bytes();
        let length = opening.len() + file_len + closing.len();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {base}\r\nCookie: {cookie}\r\nAccept: {accept}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
            base = base.trim_end_matches('/'),
        );
        let mut stream = TcpStream::connect(host.as_str()).await.expect("connect");
        stream.set_nodelay(true).unwrap();
        stream.write_all(head.as_bytes()).await.expect("head");
        stream.write_all(opening.as_bytes()).await.expect("fields");
        RawUpload {
            stream,
            closing,
            remaining: file_len,
        }
    }

    /// Sends the next bytes of the file.
    pub async fn send(&mut self, bytes: &[u8]) {
        self.try_send(bytes).await.expect("file bytes");
    }

    /// Sends the next bytes of the file, or tells why the server took no more (it may have
    /// answered already: see [`answer`](Self::answer)).
    pub async fn try_send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        assert!(bytes.len() <= self.remaining, "more than the declared file");
        self.remaining -= bytes.len();
        self.stream.write_all(bytes).await
    }

    /// Ends the form and reads the answer: its status and body.
    pub async fn finish(mut self) -> (u16, String) {
        assert_eq!(self.remaining, 0, "the whole file is sent first");
        self.stream
            .write_all(&self.closing)
            .await
            .expect("end of form");
        self.answer().await
    }

    /// Reads what the server answered (after the whole form, or when it stopped reading):
    /// status 0 when it closed the connection without an answer.
    pub async fn answer(mut self) -> (u16, String) {
        let mut answer = Vec::new();
        let read = self.stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        match head.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            Some(status) => (status, body.to_string()),
            None => (0, format!("no answer ({read:?}): {answer:?}")),
        }
    }

    /// Goes away midway: the connection is closed with the file unfinished.
    pub fn abandon(self) {
        drop(self.stream);
    }
}
