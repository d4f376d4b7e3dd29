//! The built server binary as its own process: started against a database, stopped on drop, and
//! run for one command-line task.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::workspace_root;

/// A `valora-server` process serving until it is dropped.
pub struct ServerProcess {
    child: Child,
    /// Its address, without a trailing slash.
    pub base: String,
}

impl ServerProcess {
    /// The process id (to read its memory use or to kill it).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// The built binary: `VALORA_SERVER_BIN`, by default `target/debug/valora-server`.
pub fn server_binary() -> PathBuf {
    let path = std::env::var_os("VALORA_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/valora-server"));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo leptos build` first",
        path.display()
    );
    path
}

/// Starts the binary on a free port against `database_url`, sending mail to `smtp_url`, and
/// waits until it says it is ready. The built-in reference data stays off, as in
/// [`crate::test_config`].
pub fn start_server_process(database_url: &str, smtp_url: &str) -> ServerProcess {
    start_server_process_with(database_url, smtp_url, &[])
}

/// [`start_server_process`] with more (or other) environment settings.
pub fn start_server_process_with(
    database_url: &str,
    smtp_url: &str,
    env: &[(&str, &str)],
) -> ServerProcess {
    let mut child = Command::new(server_binary())
        .env("DATABASE_URL", database_url)
        .env("VALORA_LISTEN_ADDR", "127.0.0.1:0")
        .env("SMTP_URL", smtp_url)
        .env("VALORA_MAIL_POLL_MS", "100")
        .env("VALORA_SITE_ROOT", workspace_root().join("target/site"))
        .env("VALORA_DB_MAX_CONNECTIONS", "4")
        .env("VALORA_BUILTIN_REFERENCE", "false")
        .env("RUST_LOG", "error")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    let stdout = child.stdout.take().unwrap();
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("Valora is ready at "))
        .expect("the server reports it is ready");
    let base = ready
        .trim_start_matches("Valora is ready at ")
        .trim_end_matches('/')
        .to_string();
    ServerProcess { child, base }
}

/// An HTTP client that does not follow redirects, for talking to a [`ServerProcess`].
pub fn no_redirect_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// What a command-line run of the binary gave.
#[derive(Debug)]
pub struct CommandOutput {
    /// The exit code (`None` when a signal ended it).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl CommandOutput {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs one command of the binary against `database_url`, writing `stdin` (a line) if given.
pub fn run_command(database_url: &str, args: &[&str], stdin: Option<&str>) -> CommandOutput {
    use std::io::Write;
    let mut child = Command::new(server_binary())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the server binary");
    let mut input = child.stdin.take().unwrap();
    if let Some(line) = stdin {
        writeln!(input, "{line}").unwrap();
    }
    drop(input);
    let output = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    CommandOutput {
        code: output.status.code(),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
    }
}
