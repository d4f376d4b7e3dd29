//! The administrator's command-line tasks: importing reference data and declaration records,
//! computing and publishing bands. Each opens the database, does one job and reports.

use std::process::ExitCode;

use app::domain::csv_rows::LineError;
use app::features::band_runs::service::{Doer, PublishError, RunRequest, compute_run, publish_run};
use app::features::records::service::import_records as import_record_file;
use app::features::reference::{ImportOutcome, ReferenceKind, service::import_file};

use crate::config::Config;
use crate::db::Database;

pub const USAGE: &str = "       valora-server create-customs-user EMAIL \"FULL NAME\" customs_officer|customs_supervisor|customs_auditor|valuation_admin  (password on stdin)
       valora-server deactivate-user EMAIL     (refused while the person has open cases)
       valora-server import hs|tariff-texts|countries|currencies|units|exchange-rates FILE.csv [--skip-bad-lines]
       valora-server import-records FILE.csv [--skip-bad-lines]
       valora-server compute-bands FROM TO [LEVEL]     (dates YYYY-MM-DD; LEVEL 4, 6, 8 or 10)
       valora-server publish-bands RUN EFFECTIVE-DATE";

fn skip_flag(rest: &[String]) -> Result<bool, ExitCode> {
    match rest.first().map(String::as_str) {
        None => Ok(false),
        Some("--skip-bad-lines") => Ok(true),
        Some(other) => {
            eprintln!("valora: unknown option {other}");
            Err(ExitCode::from(2))
        }
    }
}

async fn open(config: &Config) -> Result<Database, ExitCode> {
    Database::open(config).await.map_err(|e| {
        eprintln!("valora: {e}");
        ExitCode::FAILURE
    })
}

fn print_errors(errors: &[LineError], suffix: &str) {
    for error in errors {
        eprintln!("line {}: {}{suffix}", error.line, error.message);
    }
}

pub async fn import_reference(config: Config, kind: &str, args: &[String]) -> ExitCode {
    let Some(kind) = ReferenceKind::parse(kind) else {
        eprintln!("valora: unknown kind {kind}\n{USAGE}");
        return ExitCode::from(2);
    };
    let skip = match skip_flag(&args[1..]) {
        Ok(skip) => skip,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(&args[0]) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("valora: cannot read {}: {e}", args[0]);
            return ExitCode::FAILURE;
        }
    };
    let database = match open(&config).await {
        Ok(database) => database,
        Err(code) => return code,
    };
    let outcome = import_file(
        &database.pool,
        kind,
        &bytes,
        skip,
        &config.bands.base_currency,
    )
    .await;
    database.close().await;
    match outcome {
        Ok(ImportOutcome::Imported { rows, skipped }) => {
            print_errors(&skipped, " (skipped)");
            println!(
                "imported {rows} {} rows, skipped {} bad lines",
                kind.code(),
                skipped.len()
            );
            ExitCode::SUCCESS
        }
        Ok(ImportOutcome::Refused { errors }) => {
            print_errors(&errors, "");
            eprintln!(
                "valora: nothing imported ({} errors); fix the file or use --skip-bad-lines",
                errors.len()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("valora: import failed: {e}");
            ExitCode::FAILURE
        }
    }
}

pub async fn import_records(config: Config, args: &[String]) -> ExitCode {
    let skip = match skip_flag(&args[1..]) {
        Ok(skip) => skip,
        Err(code) => return code,
    };
    let file = match std::fs::File::open(&args[0]) {
        Ok(file) => std::io::BufReader::with_capacity(1 << 20, file),
        Err(e) => {
            eprintln!("valora: cannot read {}: {e}", args[0]);
            return ExitCode::FAILURE;
        }
    };
    let database = match open(&config).await {
        Ok(database) => database,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let result = async {
        let reference = app::features::records::repo::load_reference(
            &database.pool,
            &config.bands.base_currency,
            config.bands.rate_max_age_days,
        )
        .await?;
        import_record_file(&database.pool, file, &args[0], None, skip, reference)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))
    }
    .await;
    database.close().await;
    match result {
        Ok(report) => {
            let suffix = if report.batch_id.is_some() {
                " (skipped)"
            } else {
                ""
            };
            print_errors(&report.errors, suffix);
            if report.error_count > report.errors.len() as u64 {
                eprintln!(
                    "… and {} more errors",
                    report.error_count - report.errors.len() as u64
                );
            }
            match report.batch_id {
                Some(batch) => {
                    println!(
                        "imported {} records as batch {batch} in {:.1} s, skipped {} bad lines",
                        report.imported,
                        started.elapsed().as_secs_f64(),
                        report.error_count
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "valora: nothing imported ({} errors); fix the file or use --skip-bad-lines",
                        report.error_count
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("valora: import failed: {e}");
            ExitCode::FAILURE
        }
    }
}

pub async fn compute_bands(config: Config, args: &[String]) -> ExitCode {
    let dates = (args[0].parse(), args[1].parse());
    let (Ok(period_from), Ok(period_to)) = dates else {
        eprintln!("valora: dates are written YYYY-MM-DD");
        return ExitCode::from(2);
    };
    let code_level = match args.get(2).map(|l| l.parse::<i16>()) {
        None => config.bands.code_level,
        Some(Ok(level)) if [4, 6, 8, 10].contains(&level) => level,
        Some(_) => {
            eprintln!("valora: the level is 4, 6, 8 or 10");
            return ExitCode::from(2);
        }
    };
    if period_from > period_to {
        eprintln!("valora: the period ends before it starts");
        return ExitCode::from(2);
    }
    let database = match open(&config).await {
        Ok(database) => database,
        Err(code) => return code,
    };
    let request = RunRequest {
        period_from,
        period_to,
        code_level,
        rule: config.bands.rule,
        base_currency: config.bands.base_currency.clone(),
    };
    let result = compute_run(&database.pool, &request, Doer::COMMAND_LINE).await;
    database.close().await;
    match result {
        Ok(summary) => {
            println!(
                "draft run {}: {} bands from {} records ({} keys with too few records) in {} ms",
                summary.run_id,
                summary.bands_computed,
                summary.records_used,
                summary.keys_too_few,
                summary.compute_ms
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("valora: computation failed: {e}");
            ExitCode::FAILURE
        }
    }
}

pub async fn publish_bands(config: Config, run: &str, effective: &str) -> ExitCode {
    let (Ok(run_id), Ok(effective_from)) = (run.parse::<i64>(), effective.parse()) else {
        eprintln!("valora: publish-bands RUN-NUMBER YYYY-MM-DD");
        return ExitCode::from(2);
    };
    let today = chrono::Utc::now().date_naive();
    if effective_from < today {
        eprintln!("valora: the effective date cannot be in the past");
        return ExitCode::from(2);
    }
    let database = match open(&config).await {
        Ok(database) => database,
        Err(code) => return code,
    };
    let result = publish_run(&database.pool, run_id, effective_from, Doer::COMMAND_LINE).await;
    database.close().await;
    match result {
        Ok(Ok(())) => {
            println!("run {run_id} is published from {effective_from}");
            ExitCode::SUCCESS
        }
        Ok(Err(PublishError::NotADraft)) => {
            eprintln!("valora: run {run_id} is not a draft");
            ExitCode::FAILURE
        }
        Ok(Err(PublishError::NotAfter(latest))) => {
            eprintln!(
                "valora: the effective date must be after {latest}, the latest published one"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("valora: publication failed: {e}");
            ExitCode::FAILURE
        }
    }
}
