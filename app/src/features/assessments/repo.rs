//! SQL for saved assessments.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use super::{AssessmentRow, LIST_LIMIT, SavedAssessment};
use crate::domain::engine::Level;
use crate::features::check::{CheckForm, CheckOutcome};

pub struct NewAssessment<'a> {
    pub owner: Uuid,
    pub saved_by_org: Uuid,
    pub created_by: Uuid,
    pub label: &'a str,
    pub answers: &'a CheckForm,
    pub outcome: &'a CheckOutcome,
}

/// A fresh random reference (the unique index catches the practically impossible repeat).
pub fn new_reference() -> String {
    crate::domain::readable_ref::from_random(rand::random())
}

/// Inserts the assessment under `reference`.
pub async fn insert(
    db: impl sqlx::PgExecutor<'_>,
    reference: &str,
    new: &NewAssessment<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assessments (id, reference, owner_id, saved_by_org, created_by, label,
                                  tariff_code, origin, filing_date, level, customs_value,
                                  answers, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, $11, $12, $13)",
    )
    .bind(Uuid::new_v4())
    .bind(reference)
    .bind(new.owner)
    .bind(new.saved_by_org)
    .bind(new.created_by)
    .bind(new.label)
    .bind(
        new.answers
            .hs
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>(),
    )
    .bind(new.answers.origin.trim().to_ascii_uppercase())
    .bind(new.answers.date.trim())
    .bind(new.outcome.position.level.code())
    .bind(new.outcome.valuation.customs_value)
    .bind(Json(new.answers))
    .bind(Json(new.outcome))
    .execute(db)
    .await?;
    Ok(())
}

pub struct ListQuery {
    pub text: String,
    pub hs: String,
    pub level: Option<Level>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct Listed {
    reference: String,
    label: String,
    created_at: String,
    created_by: String,
    tariff_code: String,
    origin: String,
    filing_date: NaiveDate,
    level: String,
    customs_value: Decimal,
}

impl From<Listed> for AssessmentRow {
    fn from(l: Listed) -> AssessmentRow {
        AssessmentRow {
            reference: l.reference,
            label: l.label,
            created_at: l.created_at,
            created_by: l.created_by,
            tariff_code: l.tariff_code,
            origin: l.origin,
            filing_date: l.filing_date,
            level: Level::parse(&l.level).unwrap_or(Level::NoBand),
            customs_value: l.customs_value,
        }
    }
}

const LISTED_COLUMNS: &str = "a.reference, a.label,
    to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created_at,
    u.full_name AS created_by, a.tariff_code, a.origin::text AS origin, a.filing_date, a.level,
    a.customs_value";

/// The newest assessments of `owner` that match, and whether more matched than the limit.
pub async fn list(
    pool: &PgPool,
    owner: Uuid,
    q: &ListQuery,
) -> Result<(Vec<AssessmentRow>, bool), sqlx::Error> {
    let pattern = format!(
        "%{}%",
        q.text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<Listed> = sqlx::query_as(&format!(
        "SELECT {LISTED_COLUMNS}
         FROM assessments a JOIN users u ON u.id = a.created_by
         WHERE a.owner_id = $1
           AND ($2 = '%%' OR a.reference ILIKE $2 OR a.label ILIKE $2)
           AND a.tariff_code LIKE $3 || '%'
           AND ($4::text IS NULL OR a.level = $4)
           AND ($5::date IS NULL OR a.created_at >= ($5::date)::timestamp AT TIME ZONE 'UTC')
           AND ($6::date IS NULL OR a.created_at < ($6::date + 1)::timestamp AT TIME ZONE 'UTC')
         ORDER BY a.created_at DESC, a.reference
         LIMIT $7"
    ))
    .bind(owner)
    .bind(&pattern)
    .bind(&q.hs)
    .bind(q.level.map(Level::code))
    .bind(q.from)
    .bind(q.to)
    .bind(LIST_LIMIT + 1)
    .fetch_all(pool)
    .await?;
    let truncated = rows.len() as i64 > LIST_LIMIT;
    Ok((
        rows.into_iter()
            .take(LIST_LIMIT as usize)
            .map(AssessmentRow::from)
            .collect(),
        truncated,
    ))
}

#[derive(sqlx::FromRow)]
struct Found {
    #[sqlx(flatten)]
    listed: Listed,
    owner_name: String,
    answers: Json<CheckForm>,
    outcome: Json<CheckOutcome>,
}

pub async fn find(
    pool: &PgPool,
    owner: Uuid,
    reference: &str,
) -> Result<Option<SavedAssessment>, sqlx::Error> {
    let found: Option<Found> = sqlx::query_as(&format!(
        "SELECT {LISTED_COLUMNS}, o.name AS owner_name, a.answers, a.outcome
         FROM assessments a JOIN users u ON u.id = a.created_by
         JOIN organisations o ON o.id = a.owner_id
         WHERE a.reference = $1 AND a.owner_id = $2"
    ))
    .bind(reference)
    .bind(owner)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(SavedAssessment::from))
}

/// The assessment under `reference`, whoever owns it, once its documents were submitted to
/// customs at least once.
pub async fn find_submitted(
    pool: &PgPool,
    reference: &str,
) -> Result<Option<SavedAssessment>, sqlx::Error> {
    let found: Option<Found> = sqlx::query_as(&format!(
        "SELECT {LISTED_COLUMNS}, o.name AS owner_name, a.answers, a.outcome
         FROM assessments a JOIN users u ON u.id = a.created_by
         JOIN organisations o ON o.id = a.owner_id
         WHERE a.reference = $1
           AND (EXISTS (SELECT 1 FROM assessment_submissions s WHERE s.assessment_id = a.id)
                OR EXISTS (SELECT 1 FROM cases c WHERE c.assessment_id = a.id
                                                   AND c.state <> 'draft'))"
    ))
    .bind(reference)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(SavedAssessment::from))
}

impl From<Found> for SavedAssessment {
    fn from(f: Found) -> SavedAssessment {
        SavedAssessment {
            row: f.listed.into(),
            owner_name: f.owner_name,
            answers: f.answers.0,
            outcome: f.outcome.0,
        }
    }
}
