//! `valora-server` serves the portal; `valora-server create-customs-user EMAIL NAME ROLE` creates
//! a customs staff account, reading its password from the first line of standard input, and
//! `valora-server deactivate-user EMAIL` deactivates one (refused while it has open cases).

use std::io::BufRead;
use std::process::ExitCode;

use app::features::accounts::service as admin;
use app::policy::{OrgKind, Role};
use valora_server::config::Config;
use valora_server::db::Database;

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("create-customs-user") if args.len() == 4 => {
            create_customs_user(config, &args[1], &args[2], &args[3]).await
        }
        Some("deactivate-user") if args.len() == 2 => deactivate_user(config, &args[1]).await,
        Some("import-hs") if matches!(args.len(), 2 | 3) => {
            valora_server::cli::import_reference(config, "hs", &args[1..]).await
        }
        Some("import") if matches!(args.len(), 3 | 4) => {
            valora_server::cli::import_reference(config, &args[1], &args[2..]).await
        }
        Some("import-records") if matches!(args.len(), 2 | 3) => {
            valora_server::cli::import_records(config, &args[1..]).await
        }
        Some("compute-bands") if matches!(args.len(), 3 | 4) => {
            valora_server::cli::compute_bands(config, &args[1..]).await
        }
        Some("publish-bands") if args.len() == 3 => {
            valora_server::cli::publish_bands(config, &args[1], &args[2]).await
        }
        _ => {
            eprintln!(
                "usage: valora-server [serve]\n{}",
                valora_server::cli::USAGE
            );
            ExitCode::from(2)
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    if config.database_url.is_none() {
        tracing::info!(data_dir = %config.data_dir.display(), "no DATABASE_URL: using the embedded PostgreSQL cluster");
    }
    let demo = config.demo;
    let server = match valora_server::start(config).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("valora: {e}");
            return ExitCode::FAILURE;
        }
    };
    if demo {
        valora_server::demo::print_accounts();
    }
    println!("Valora is ready at {}", server.public_url);
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn create_customs_user(config: Config, email: &str, name: &str, role: &str) -> ExitCode {
    let Some(role) = Role::parse(role).filter(|r| r.is_customs()) else {
        eprintln!("valora: the role must be customs_officer or valuation_admin");
        return ExitCode::from(2);
    };
    let mut password = String::new();
    if std::io::stdin().lock().read_line(&mut password).is_err() {
        eprintln!("valora: could not read the password from standard input");
        return ExitCode::from(2);
    }
    let password = password.trim_end_matches(['\r', '\n']);
    let database = match Database::open(&config).await {
        Ok(database) => database,
        Err(e) => {
            eprintln!("valora: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = async {
        let org = admin::ensure_organisation(
            &database.pool,
            OrgKind::Customs,
            &config.customs_name,
            &config.customs_tax_id,
        )
        .await?;
        admin::create_user(
            &database.pool,
            (org, OrgKind::Customs),
            email,
            name,
            role,
            password,
        )
        .await
    }
    .await;
    database.close().await;
    match result {
        Ok(id) => {
            println!("created {} account {id} for {email}", role.code());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("valora: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn deactivate_user(config: Config, email: &str) -> ExitCode {
    let database = match Database::open(&config).await {
        Ok(database) => database,
        Err(e) => {
            eprintln!("valora: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = admin::deactivate_user(&database.pool, email, "command line").await;
    database.close().await;
    match result {
        Ok(id) => {
            println!("deactivated account {id} ({email}); its sessions have ended");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("valora: {e}");
            ExitCode::FAILURE
        }
    }
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
