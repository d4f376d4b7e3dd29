//! The embedded default database: a private PostgreSQL cluster in a data directory of the
//! project's own, reachable only through a Unix socket in that directory (no TCP port, so it
//! never clashes with another server). Created on first use, started on every run, stopped by
//! whoever started it. No crate does this without downloading binaries or calling `sudo`, so it
//! drives the machine's own `initdb` and `pg_ctl`.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Superuser created by `initdb`; only the socket's owner (and root) can reach the cluster.
pub const SUPERUSER: &str = "valora";
/// Names the socket file (`.s.PGSQL.5432`) inside our own socket directory; no TCP is opened.
const PORT: u16 = 5432;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) were not found. Install PostgreSQL \
         (Debian: apt-get install postgresql), set VALORA_PG_BIN to the folder that holds them, \
         or set DATABASE_URL to use an existing server."
    )]
    BinariesNotFound,
    #[error(
        "running as root, but the `postgres` system user needed to run PostgreSQL does not exist"
    )]
    NoPostgresUser,
    #[error("{action} failed: {detail}")]
    Command { action: String, detail: String },
    #[error("cannot prepare the data directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> EmbeddedError + '_ {
    move |source| EmbeddedError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where PostgreSQL's server programs live: the configured folder (`VALORA_PG_BIN`), else the
/// newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else `initdb` on the `PATH`.
pub fn find_binaries(configured: Option<&Path>) -> Result<PathBuf, EmbeddedError> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = configured {
        return if has_tools(dir) {
            Ok(dir.to_path_buf())
        } else {
            Err(EmbeddedError::BinariesNotFound)
        };
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|dir| has_tools(dir))
        .ok_or(EmbeddedError::BinariesNotFound)
}

/// A private cluster under `<data_dir>/postgres`, with its socket in `<data_dir>/postgres-socket`.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    log_file: PathBuf,
    /// `initdb` refuses to run as root; as root we run PostgreSQL as the `postgres` user.
    run_as: Option<(u32, u32)>,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Creates the cluster if `data_dir` has none, and starts it unless it is already running.
    /// Blocking: call from `spawn_blocking` in async code.
    pub fn start(
        data_dir: &Path,
        bin_dir: Option<&Path>,
    ) -> Result<EmbeddedPostgres, EmbeddedError> {
        let bin_dir = find_binaries(bin_dir)?;
        fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
        let data_dir = data_dir.canonicalize().map_err(io_error(data_dir))?;
        // One process at a time prepares the cluster (two servers may share a data directory).
        let lock_path = data_dir.join("postgres.lock");
        let lock = File::create(&lock_path).map_err(io_error(&lock_path))?;
        lock.lock().map_err(io_error(&lock_path))?;

        // SAFETY: geteuid has no preconditions and cannot fail.
        let run_as = if unsafe { libc::geteuid() } == 0 {
            Some(postgres_user_ids()?)
        } else {
            None
        };
        if run_as.is_some() {
            // The postgres user must be able to pass through the data directory.
            set_mode(&data_dir, 0o755)?;
        }
        let mut cluster = EmbeddedPostgres {
            bin_dir,
            pgdata: data_dir.join("postgres"),
            socket_dir: data_dir.join("postgres-socket"),
            log_file: data_dir.join("postgres.log"),
            run_as,
            started_here: false,
        };
        cluster.prepare_dirs()?;
        if !cluster.pgdata.join("PG_VERSION").is_file() {
            cluster.init()?;
        }
        cluster.write_settings()?;
        if !cluster.is_running() {
            cluster.start_server()?;
        }
        Ok(cluster)
    }

    /// A connection URL for `database` through the cluster's socket.
    pub fn connect_url(&self, database: &str) -> String {
        let socket = percent_encoding::utf8_percent_encode(
            &path_str(&self.socket_dir),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        format!("postgres://{SUPERUSER}@localhost/{database}?host={socket}&port={PORT}")
    }

    pub fn started_here(&self) -> bool {
        self.started_here
    }

    pub fn is_running(&self) -> bool {
        self.command("pg_ctl", &["-D", &path_str(&self.pgdata), "status"])
            .map(|out| out.status.success())
            .unwrap_or(false)
    }

    /// Stops the cluster if this process started it (another process may be using a cluster it
    /// found running). Blocking.
    pub fn stop(&mut self) -> Result<(), EmbeddedError> {
        if self.started_here {
            self.stop_now()?;
            self.started_here = false;
        }
        Ok(())
    }

    /// Stops the cluster whoever started it (fast shutdown: sessions are disconnected).
    pub fn stop_now(&self) -> Result<(), EmbeddedError> {
        self.run(
            "stopping the embedded PostgreSQL cluster",
            "pg_ctl",
            &["-D", &path_str(&self.pgdata), "-m", "fast", "-w", "stop"],
        )
        .map(drop)
    }

    /// Starts the cluster (again, after [`stop_now`](Self::stop_now)); this process then owns it.
    pub fn start_server(&mut self) -> Result<(), EmbeddedError> {
        let (pgdata, log_file) = (path_str(&self.pgdata), path_str(&self.log_file));
        self.run(
            "starting the embedded PostgreSQL cluster",
            "pg_ctl",
            &["-D", &pgdata, "-l", &log_file, "-w", "-t", "60", "start"],
        )?;
        self.started_here = true;
        Ok(())
    }

    fn prepare_dirs(&self) -> Result<(), EmbeddedError> {
        for dir in [&self.pgdata, &self.socket_dir] {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
            set_mode(dir, 0o700)?;
        }
        if !self.log_file.exists() {
            File::create(&self.log_file).map_err(io_error(&self.log_file))?;
        }
        if let Some((uid, gid)) = self.run_as {
            for path in [&self.pgdata, &self.socket_dir, &self.log_file] {
                std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(io_error(path))?;
            }
        }
        Ok(())
    }

    fn init(&self) -> Result<(), EmbeddedError> {
        self.run(
            "creating the embedded PostgreSQL cluster (initdb)",
            "initdb",
            &[
                "-D",
                &path_str(&self.pgdata),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-instructions",
            ],
        )?;
        let conf = self.pgdata.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf).map_err(io_error(&conf))?;
        text.push_str(
            "\n# Valora: settings rewritten at every start\ninclude_if_exists = 'valora.conf'\n",
        );
        fs::write(&conf, text).map_err(io_error(&conf))
    }

    /// Rewritten at every start so a moved data directory still finds its socket.
    fn write_settings(&self) -> Result<(), EmbeddedError> {
        let path = self.pgdata.join("valora.conf");
        let socket = path_str(&self.socket_dir).replace('\'', "''");
        let settings = format!(
            "listen_addresses = ''\nport = {PORT}\nunix_socket_directories = '{socket}'\nmax_connections = 300\n"
        );
        fs::write(&path, settings).map_err(io_error(&path))?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).map_err(io_error(&path))?;
        }
        Ok(())
    }

    fn command(&self, program: &str, args: &[&str]) -> std::io::Result<Output> {
        let program = self.bin_dir.join(program);
        let mut command = match self.run_as {
            Some(_) => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        // The postgres user may not be able to enter the caller's working directory.
        command
            .args(args)
            .current_dir("/")
            .stdin(std::process::Stdio::null())
            .output()
    }

    fn run(&self, action: &str, program: &str, args: &[&str]) -> Result<Output, EmbeddedError> {
        let failed = |detail: String| EmbeddedError::Command {
            action: action.to_string(),
            detail,
        };
        let output = self
            .command(program, args)
            .map_err(|e| failed(e.to_string()))?;
        if output.status.success() {
            Ok(output)
        } else {
            let log_tail = fs::read_to_string(&self.log_file)
                .map(|log| {
                    log.lines()
                        .rev()
                        .take(5)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            Err(failed(format!(
                "{}\n{log_tail}",
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn set_mode(path: &Path, mode: u32) -> Result<(), EmbeddedError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_error(path))
}

fn postgres_user_ids() -> Result<(u32, u32), EmbeddedError> {
    let passwd = fs::read_to_string("/etc/passwd").map_err(io_error(Path::new("/etc/passwd")))?;
    passwd
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&"postgres"))
        .and_then(|fields| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))
        .ok_or(EmbeddedError::NoPostgresUser)
}
