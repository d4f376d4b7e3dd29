//! SQL for page feedback.

use crate::i18n::Lang;
use sqlx::PgPool;

pub async fn insert(
    pool: &PgPool,
    page: &str,
    useful: bool,
    lang: Lang,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO page_feedback (page, useful, lang) VALUES ($1, $2, $3)")
        .bind(page)
        .bind(useful)
        .bind(lang.code())
        .execute(pool)
        .await?;
    Ok(())
}
