//! A real clamd for the tests: one per test process, started on first use with its own signature
//! database (no signature download is possible here) that knows one virus, the EICAR test file.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

static CLAMD: OnceCell<Clamd> = OnceCell::const_new();

extern "C" fn remove_directory() {
    if let Some(clamd) = CLAMD.get() {
        let _ = std::fs::remove_dir_all(clamd.dir.path());
    }
}

/// The running clamd the tests scan with.
pub struct Clamd {
    /// Its address as the `VALORA_CLAMD` setting names it (`unix:/...`).
    pub address: String,
    dir: tempfile::TempDir,
    _child: Mutex<Child>,
}

impl Clamd {
    /// The clamd of this test process, started (and waited for) on first use.
    pub async fn get() -> &'static Clamd {
        CLAMD
            .get_or_init(|| async {
                let clamd = Clamd::start().await;
                // Statics are never dropped: remove the directory when the process exits.
                unsafe { libc::atexit(remove_directory) };
                clamd
            })
            .await
    }

    /// Document settings that scan with this clamd (the other limits at their defaults).
    pub fn settings(&self) -> app::server::settings::DocumentSettings {
        app::server::settings::DocumentSettings {
            clamd: Some(self.address.clone()),
            ..Default::default()
        }
    }

    /// What clamd wrote to its log so far (to explain a failure).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("clamd.log")).unwrap_or_default()
    }

    async fn start() -> Clamd {
        let dir = tempfile::Builder::new()
            .prefix("valora-clamd-")
            .tempdir()
            .expect("clamd directory");
        let database = dir.path().join("db");
        std::fs::create_dir(&database).unwrap();
        write_signature_database(dir.path(), &database);
        let socket = dir.path().join("clamd.sock");
        let running_as_root = unsafe { libc::geteuid() } == 0;
        let config = format!(
            "DatabaseDirectory {}\nLocalSocket {}\nForeground yes\n\
             # Above the largest upload the tests send (clamd refuses longer streams).\n\
             StreamMaxLength 64M\nLogFile {}\n{}",
            database.display(),
            socket.display(),
            dir.path().join("clamd.log").display(),
            if running_as_root { "User root\n" } else { "" },
        );
        let config_path = dir.path().join("clamd.conf");
        std::fs::write(&config_path, config).unwrap();
        let child = spawn_tied_to_this_process(&config_path);
        let clamd = Clamd {
            address: format!("unix:{}", socket.display()),
            dir,
            _child: Mutex::new(child),
        };
        let address = app::server::clamav::Address::parse(&clamd.address).unwrap();
        let started = Instant::now();
        loop {
            if app::server::clamav::ping(&address).await.is_ok() {
                return clamd;
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!("clamd did not answer PING in 60 s:\n{}", clamd.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The 68-byte EICAR anti-virus test file, put together at run time so that no file in the
/// checkout is itself a "virus" to a scanner.
pub fn eicar() -> Vec<u8> {
    let halves = [
        r"X5O!P%@AP[4\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
    ];
    let bytes = halves.concat().into_bytes();
    assert_eq!(bytes.len(), 68);
    bytes
}

/// `test.hdb`: the MD5 signature `sigtool --md5` makes of the EICAR file.
fn write_signature_database(dir: &Path, database: &Path) {
    let sample = dir.join("eicar.com");
    std::fs::write(&sample, eicar()).unwrap();
    let output = Command::new("sigtool")
        .arg("--md5")
        .arg(&sample)
        .output()
        .expect("sigtool (Debian package clamav; scripts/setup --test installs it)");
    assert!(
        output.status.success() && !output.stdout.is_empty(),
        "sigtool --md5 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(database.join("test.hdb"), output.stdout).unwrap();
    std::fs::remove_file(sample).unwrap();
}

/// Starts clamd so that it dies with this test process: from a thread that lives as long as the
/// process, with `PR_SET_PDEATHSIG` (which fires when the spawning thread ends).
fn spawn_tied_to_this_process(config: &Path) -> Child {
    let config = config.to_path_buf();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("clamd-parent".into())
        .spawn(move || {
            let mut command = Command::new("clamd");
            command
                .arg("-c")
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // Safety: only async-signal-safe calls between fork and exec.
            unsafe {
                use std::os::unix::process::CommandExt;
                command.pre_exec(|| {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let _ = sender.send(command.spawn());
            loop {
                std::thread::park();
            }
        })
        .expect("clamd parent thread");
    receiver
        .recv()
        .unwrap()
        .expect("clamd (Debian package clamav-daemon; scripts/setup --test installs it)")
}
