//! Keeps `tariff_lines.search_text` (code and both descriptions, normalised) in step with the
//! descriptions. Normalising in Rust spares PostgreSQL the `unaccent` extension, which a
//! managed database may not allow.

use sqlx::PgConnection;

use crate::domain::search::normalize;

pub async fn refresh_search_text(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let lines: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT code, description_es, description_en FROM tariff_lines")
            .fetch_all(&mut *conn)
            .await?;
    let (codes, texts): (Vec<String>, Vec<String>) = lines
        .into_iter()
        .map(|(code, es, en)| {
            let text = normalize(&format!(
                "{code} {} {}",
                es.unwrap_or_default(),
                en.unwrap_or_default()
            ));
            (code, text)
        })
        .unzip();
    sqlx::query(
        "UPDATE tariff_lines t SET search_text = s.text
         FROM unnest($1::text[], $2::text[]) AS s (code, text)
         WHERE t.code = s.code AND t.search_text IS DISTINCT FROM s.text",
    )
    .bind(&codes)
    .bind(&texts)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
