//! Database wiring: which server to use (the given `DATABASE_URL` or the embedded cluster), the
//! connection pool and the migrations. SQL for each resource lives with that resource.

pub mod embedded;

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use tokio::task::spawn_blocking;

use crate::config::Config;
use embedded::{EmbeddedError, EmbeddedPostgres};

/// Name of the application database inside the embedded cluster.
pub const EMBEDDED_DATABASE: &str = "valora";

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error("DATABASE_URL is not a valid PostgreSQL URL: {0}")]
    BadUrl(String),
    #[error("cannot reach the database at {target}: {detail}")]
    Unreachable { target: String, detail: String },
    #[error("applying the migrations failed: {0}")]
    Migration(String),
}

/// The database the server talks to, and the embedded cluster when it started one.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Connects (starting the embedded cluster when no URL is configured) and migrates.
    pub async fn open(config: &Config) -> Result<Database, DbError> {
        let (url, embedded) = match &config.database_url {
            Some(url) => (url.clone(), None),
            None => {
                let dir = config.data_dir.clone();
                let bin = config.pg_bin.clone();
                let cluster = spawn_blocking(move || EmbeddedPostgres::start(&dir, bin.as_deref()))
                    .await
                    .map_err(|e| DbError::Migration(e.to_string()))??;
                create_database_if_missing(&cluster).await?;
                (cluster.connect_url(EMBEDDED_DATABASE), Some(cluster))
            }
        };
        let options = connect_options(&url)?;
        let target = describe(&options);
        let pool = PgPoolOptions::new()
            .max_connections(config.db_max_connections)
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options)
            .await
            .map_err(|e| DbError::Unreachable {
                target: target.clone(),
                detail: e.to_string(),
            })?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| DbError::Migration(e.to_string()))?;
        Ok(Database { pool, embedded })
    }

    /// Closes the pool and stops the embedded cluster if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(mut cluster) = self.embedded {
            match spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "could not stop the embedded PostgreSQL cluster")
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not stop the embedded PostgreSQL cluster")
                }
            }
        }
    }
}

fn connect_options(url: &str) -> Result<PgConnectOptions, DbError> {
    url.parse::<PgConnectOptions>()
        .map_err(|e| DbError::BadUrl(e.to_string()))
}

/// Where a connection goes, without the password, for messages.
fn describe(options: &PgConnectOptions) -> String {
    let place = match options.get_socket() {
        Some(socket) => format!("socket {}", socket.display()),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    format!(
        "{place}, database {}",
        options.get_database().unwrap_or("(default)")
    )
}

async fn create_database_if_missing(cluster: &EmbeddedPostgres) -> Result<(), DbError> {
    let options = connect_options(&cluster.connect_url("postgres"))?;
    let unreachable = |e: sqlx::Error| DbError::Unreachable {
        target: describe(&options),
        detail: e.to_string(),
    };
    let mut conn = options.connect().await.map_err(unreachable)?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(EMBEDDED_DATABASE)
            .fetch_one(&mut conn)
            .await
            .map_err(unreachable)?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {EMBEDDED_DATABASE}"))
            .execute(&mut conn)
            .await
            .map_err(unreachable)?;
    }
    Ok(())
}
