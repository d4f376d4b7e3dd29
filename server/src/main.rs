use std::process::ExitCode;

use valora_server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("valora: {e}");
            return ExitCode::from(2);
        }
    };
    valora_server::telemetry::init(config.log_json);
    if config.database_url.is_none() {
        tracing::info!(data_dir = %config.data_dir.display(), "no DATABASE_URL: using the embedded PostgreSQL cluster");
    }
    let server = match valora_server::start(config).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("valora: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("Valora is ready at {}", server.public_url);
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate.recv() => {}
    }
}
