//! Load from `wrk` (a separate process, so the load's own cost is not the server's): one run
//! at a number of connections for a time, with the answers counted by status and the latency
//! percentiles read from its Lua `done` hook. `scripts/setup --test` installs wrk.

use std::path::Path;
use std::time::Duration;

/// One request shape: GET `path`, or POST `body` as JSON, with an optional bearer token.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub path: String,
    pub body: Option<String>,
    pub token: Option<String>,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Request {
        Request {
            path: path.into(),
            ..Request::default()
        }
    }

    pub fn post_json(path: impl Into<String>, body: String, token: &str) -> Request {
        Request {
            path: path.into(),
            body: Some(body),
            token: Some(token.to_string()),
        }
    }
}

/// What one run measured.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub connections: usize,
    pub per_second: f64,
    pub ok: u64,
    pub shed: u64,
    /// Answers other than 200 and 503 (503s carrying `Retry-After` are the only 503s counted
    /// as shed; one without it counts here).
    pub other: u64,
    /// wrk's socket errors (connect, read, write, timeout).
    pub errors: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Run {
    pub fn print(&self, what: &str) {
        println!(
            "{what}, {} connections: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms; 200: {}, 503 with Retry-After: {}, other: {}, socket errors: {}",
            self.connections,
            self.per_second,
            self.p50_ms,
            self.p99_ms,
            self.ok,
            self.shed,
            self.other,
            self.errors
        );
    }
}

/// Whether wrk is there to run.
pub fn available() -> bool {
    std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok()
}

/// Runs wrk against `base` (`http://host:port`) with `connections` for `duration`.
pub fn run(base: &str, request: &Request, connections: usize, duration: Duration) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let script = dir.path().join("request.lua");
    std::fs::write(&script, lua(request)).expect("the wrk script");
    let threads = connections.clamp(1, 2);
    let output = std::process::Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(Path::new(&script))
        .arg(format!("{base}{}", request.path))
        .output()
        .expect("wrk runs (scripts/setup --test installs it)");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    parse(&text, connections)
}

fn lua(request: &Request) -> String {
    let mut script = String::new();
    if let Some(body) = &request.body {
        script.push_str("wrk.method = \"POST\"\n");
        script.push_str(&format!("wrk.body = {}\n", lua_string(body)));
        script.push_str("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    }
    if let Some(token) = &request.token {
        script.push_str(&format!(
            "wrk.headers[\"Authorization\"] = {}\n",
            lua_string(&format!("Bearer {token}"))
        ));
    }
    script.push_str(
        r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; shed = 0; other = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 503 and (headers["retry-after"] or headers["Retry-After"]) then shed = shed + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("shed"); c = c + t:get("other") end
  local e = summary.errors
  io.write(string.format("VALORA ok=%d shed=%d other=%d errors=%d p50=%d p99=%d us=%d requests=%d\n",
    a, b, c, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration, summary.requests))
end
"#,
    );
    script
}

/// A Lua string literal (long brackets never end early: the body has no "]==]").
fn lua_string(text: &str) -> String {
    format!("[==[{text}]==]")
}

fn parse(text: &str, connections: usize) -> Run {
    let line = text
        .lines()
        .find(|l| l.starts_with("VALORA "))
        .unwrap_or_else(|| panic!("wrk printed no summary: {text}"));
    let field = |name: &str| -> f64 {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let seconds = field("us") / 1e6;
    Run {
        connections,
        per_second: if seconds > 0.0 {
            field("requests") / seconds
        } else {
            0.0
        },
        ok: field("ok") as u64,
        shed: field("shed") as u64,
        other: field("other") as u64,
        errors: field("errors") as u64,
        p50_ms: field("p50") / 1e3,
        p99_ms: field("p99") / 1e3,
    }
}

/// Runs wrk on the blocking pool (a server in this process keeps the async workers), noting the
/// process's peak resident memory in `peak_mib` meanwhile.
pub async fn measure(
    base: &str,
    request: &Request,
    connections: usize,
    duration: Duration,
    peak_mib: &std::sync::Mutex<f64>,
) -> Run {
    let (base, request) = (base.to_string(), request.clone());
    let running = tokio::task::spawn_blocking(move || run(&base, &request, connections, duration));
    tokio::pin!(running);
    loop {
        tokio::select! {
            run = &mut running => return run.expect("wrk's thread"),
            _ = tokio::time::sleep(Duration::from_millis(200)) => {
                let mut peak = peak_mib.lock().unwrap_or_else(|e| e.into_inner());
                *peak = peak.max(resident_mib());
            }
        }
    }
}

/// The resident memory of this process (the server runs in it), in MiB.
pub fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_read_into_a_run() {
        let run = parse(
            "Running 5s test\nVALORA ok=900 shed=90 other=1 errors=2 p50=1500 p99=20000 us=5000000 requests=1000\n",
            64,
        );
        assert_eq!((run.ok, run.shed, run.other, run.errors), (900, 90, 1, 2));
        assert_eq!(run.per_second, 200.0);
        assert_eq!((run.p50_ms, run.p99_ms), (1.5, 20.0));
    }
}
