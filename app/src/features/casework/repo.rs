//! SQL of the queue, assignment, requests, outcomes, reports and holidays.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

/// Holidays with their names, oldest first.
pub async fn holiday_rows(
    db: impl PgExecutor<'_>,
) -> Result<Vec<(NaiveDate, String)>, sqlx::Error> {
    sqlx::query_as("SELECT day, name FROM holidays ORDER BY day")
        .fetch_all(db)
        .await
}

/// Adds a holiday; false when the day is one already.
pub async fn add_holiday(
    db: impl PgExecutor<'_>,
    day: NaiveDate,
    name: &str,
    added_by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO holidays (day, name, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO NOTHING",
    )
    .bind(day)
    .bind(name)
    .bind(added_by)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a holiday; its name when there was one.
pub async fn remove_holiday(
    db: impl PgExecutor<'_>,
    day: NaiveDate,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM holidays WHERE day = $1 RETURNING name")
        .bind(day)
        .fetch_optional(db)
        .await
}

/// The queue's filters, already parsed (empty strings and `None` filter nothing).
#[derive(Clone, Debug, Default)]
pub struct QueueQuery {
    pub state: Option<String>,
    pub kind: Option<String>,
    /// `Some(None)`: unassigned only.
    pub assignee: Option<Option<Uuid>>,
    /// Digits of a tariff code or chapter: a prefix.
    pub tariff: Option<String>,
    pub origin: Option<String>,
    pub importer: Option<String>,
    pub broker: Option<String>,
    pub level: Option<String>,
    pub overdue: bool,
    pub words: Option<String>,
}

/// Which tab: `unassigned`, `mine` or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Unassigned,
    Mine,
    All,
}

const OPEN_STATES: &str = "('submitted', 'in_progress', 'awaiting_trader', 'under_review')";

fn push_filters<'a>(b: &mut QueryBuilder<'a, Postgres>, q: &'a QueueQuery, today: NaiveDate) {
    b.push(" c.state <> 'draft'");
    if let Some(state) = &q.state {
        b.push(" AND c.state = ").push_bind(state.as_str());
    }
    if let Some(kind) = &q.kind {
        b.push(" AND c.kind = ").push_bind(kind.as_str());
    }
    match q.assignee {
        Some(Some(id)) => {
            b.push(" AND c.assignee_id = ").push_bind(id);
        }
        Some(None) => {
            b.push(" AND c.assignee_id IS NULL");
        }
        None => {}
    }
    if let Some(tariff) = &q.tariff {
        b.push(" AND c.tariff_code LIKE ")
            .push_bind(format!("{tariff}%"));
    }
    if let Some(origin) = &q.origin {
        b.push(" AND c.origin = ").push_bind(origin.as_str());
    }
    if let Some(importer) = &q.importer {
        b.push(
            " AND c.importer_id IN (SELECT o.id FROM organisations o WHERE o.kind = 'importer'
              AND (o.tax_id LIKE ",
        )
        .push_bind(format!("{}%", like_escape(importer)))
        .push(" OR o.name ILIKE ")
        .push_bind(format!("%{}%", like_escape(importer)))
        .push("))");
    }
    if let Some(broker) = &q.broker {
        b.push(
            " AND c.broker_id IN (SELECT o.id FROM organisations o WHERE o.kind = 'broker'
              AND o.name ILIKE ",
        )
        .push_bind(format!("%{}%", like_escape(broker)))
        .push(")");
    }
    if let Some(level) = &q.level {
        b.push(" AND c.level = ").push_bind(level.as_str());
    }
    if q.overdue {
        b.push(format!(" AND c.state IN {OPEN_STATES} AND c.due_on < "))
            .push_bind(today);
    }
    if let Some(words) = &q.words {
        b.push(
            " AND to_tsvector('simple', c.subject || ' ' || c.reference || ' ' || c.declaration_ref)
              @@ plainto_tsquery('simple', ",
        )
        .push_bind(words.as_str())
        .push(")");
    }
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn push_tab(b: &mut QueryBuilder<'_, Postgres>, tab: Tab, me: Uuid) {
    match tab {
        Tab::Unassigned => {
            b.push(format!(
                " AND c.state IN {OPEN_STATES} AND c.assignee_id IS NULL"
            ));
        }
        Tab::Mine => {
            b.push(format!(
                " AND c.state IN {OPEN_STATES} AND c.assignee_id = "
            ))
            .push_bind(me);
        }
        Tab::All => {}
    }
}

/// The counts of the three tabs under the same filters.
pub async fn tab_counts(
    db: impl PgExecutor<'_>,
    q: &QueueQuery,
    me: Uuid,
    today: NaiveDate,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let mut b = QueryBuilder::new(format!(
        "SELECT count(*) FILTER (WHERE c.state IN {OPEN_STATES} AND c.assignee_id IS NULL),
                count(*) FILTER (WHERE c.state IN {OPEN_STATES} AND c.assignee_id = "
    ));
    b.push_bind(me);
    b.push("), count(*) FROM cases c WHERE");
    push_filters(&mut b, q, today);
    b.build_query_as().fetch_one(db).await
}

/// One row of the queue, as read.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub id: Uuid,
    pub reference: String,
    pub kind: String,
    pub state: String,
    pub subject: String,
    pub category: String,
    pub importer_name: String,
    pub importer_tax_id: String,
    pub broker_name: Option<String>,
    pub assessment_reference: Option<String>,
    pub declaration_ref: String,
    pub tariff_code: String,
    pub origin: String,
    pub level: String,
    pub assignee_name: Option<String>,
    pub created_at: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub paused_days: i32,
    pub awaiting_since: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub last_activity_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub unread: i64,
}

/// A page of the queue: at most `limit` rows from `offset`.
#[allow(clippy::too_many_arguments)]
pub async fn queue(
    db: impl PgExecutor<'_>,
    q: &QueueQuery,
    tab: Tab,
    me: Uuid,
    today: NaiveDate,
    by_age: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let mut b = QueryBuilder::new(
        "SELECT c.id, c.reference, c.kind, c.state, c.subject, c.category,
                i.name AS importer_name, i.tax_id AS importer_tax_id, br.name AS broker_name,
                a.reference AS assessment_reference, c.declaration_ref, c.tariff_code, c.origin,
                c.level, u.full_name AS assignee_name,
                to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' AS created_at,
                c.sent_at, c.paused_days, c.awaiting_since, c.closed_at, c.last_activity_at,
                c.due_on,
                (SELECT count(*) FROM case_messages m WHERE m.case_id = c.id
                   AND m.side = 'trader' AND m.sent_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM case_message_reads r WHERE r.message_id = m.id))
                  AS unread
         FROM (SELECT c.* FROM cases c WHERE",
    );
    push_filters(&mut b, q, today);
    push_tab(&mut b, tab, me);
    if by_age {
        b.push(" ORDER BY c.created_at, c.id");
    } else {
        b.push(" ORDER BY c.due_on NULLS LAST, c.created_at, c.id");
    }
    b.push(" LIMIT ").push_bind(limit);
    b.push(" OFFSET ").push_bind(offset);
    b.push(
        ") c JOIN organisations i ON i.id = c.importer_id
         LEFT JOIN organisations br ON br.id = c.broker_id
         LEFT JOIN assessments a ON a.id = c.assessment_id
         LEFT JOIN users u ON u.id = c.assignee_id",
    );
    if by_age {
        b.push(" ORDER BY c.created_at, c.id");
    } else {
        b.push(" ORDER BY c.due_on NULLS LAST, c.created_at, c.id");
    }
    b.build_query_as().fetch_all(db).await
}

/// Customs people who may be assigned cases: officers and supervisors.
pub async fn assignable_staff(db: impl PgExecutor<'_>) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE o.kind = 'customs' AND u.role IN ('customs_officer', 'customs_supervisor')
           AND u.deactivated_at IS NULL
         ORDER BY u.full_name, u.id",
    )
    .fetch_all(db)
    .await
}

/// The name of a person who may be assigned cases, if `id` is one.
pub async fn assignable(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.full_name FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE u.id = $1 AND o.kind = 'customs' AND u.deactivated_at IS NULL
           AND u.role IN ('customs_officer', 'customs_supervisor')",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A person's name.
pub async fn user_name(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT full_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The references of cases by id (the queue's checkboxes).
pub async fn references(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, reference FROM cases WHERE id = ANY($1) ORDER BY reference")
        .bind(ids)
        .fetch_all(db)
        .await
}

/// An assessment a request may be opened on.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestTarget {
    pub assessment_id: Option<Uuid>,
    pub reference: Option<String>,
    pub importer_id: Uuid,
    pub importer_name: String,
    pub importer_tax_id: String,
    /// The broker firm that saved the assessment, if one did.
    pub broker_id: Option<Uuid>,
    pub tariff_code: String,
    pub origin: String,
    /// Customs may open it (submitted, or a case sent names it).
    pub visible: bool,
}

/// The assessment under `reference` with its importer (an importer-owned one only).
pub async fn assessment_target(
    db: impl PgExecutor<'_>,
    reference: &str,
) -> Result<Option<RequestTarget>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS assessment_id, a.reference, a.owner_id AS importer_id,
                o.name AS importer_name, o.tax_id AS importer_tax_id,
                CASE WHEN s.kind = 'broker' THEN s.id END AS broker_id,
                a.tariff_code, a.origin::text AS origin,
                (EXISTS (SELECT 1 FROM assessment_submissions x WHERE x.assessment_id = a.id)
                 OR EXISTS (SELECT 1 FROM cases c WHERE c.assessment_id = a.id
                                                    AND c.state <> 'draft')) AS visible
         FROM assessments a JOIN organisations o ON o.id = a.owner_id
         JOIN organisations s ON s.id = a.saved_by_org
         WHERE a.reference = $1 AND o.kind = 'importer'",
    )
    .bind(reference)
    .fetch_optional(db)
    .await
}

/// The importer with this tax id.
pub async fn importer_by_tax_id(
    db: impl PgExecutor<'_>,
    tax_id: &str,
) -> Result<Option<RequestTarget>, sqlx::Error> {
    sqlx::query_as(
        "SELECT NULL::uuid AS assessment_id, NULL::text AS reference, o.id AS importer_id,
                o.name AS importer_name, o.tax_id AS importer_tax_id, NULL::uuid AS broker_id,
                '' AS tariff_code, '' AS origin, true AS visible
         FROM organisations o WHERE o.kind = 'importer' AND o.tax_id = $1",
    )
    .bind(tax_id)
    .fetch_optional(db)
    .await
}

/// The case a request form with `client_key` opened already (by whoever opened it).
pub async fn case_by_opening_key(
    db: impl PgExecutor<'_>,
    client_key: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.reference FROM case_messages m JOIN cases c ON c.id = m.case_id
         WHERE m.client_key = $1 AND m.purpose = 'request' AND m.side = 'customs'
         ORDER BY m.created_at LIMIT 1",
    )
    .bind(client_key)
    .fetch_optional(db)
    .await
}

/// Clears the outcome of a closed case and puts it back in progress (reopening).
pub async fn reopen(tx: &mut PgConnection, id: Uuid, due_on: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cases SET state = 'in_progress', outcome = NULL, outcome_grounds = '',
                          next_method = '', closed_at = NULL, closed_on_time = NULL,
                          due_on = $2, last_activity_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(due_on)
    .execute(tx)
    .await?;
    Ok(())
}

/// Sets the case's due date (an extension granted).
pub async fn set_due(
    tx: &mut PgConnection,
    id: Uuid,
    due_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET due_on = $2, last_activity_at = now() WHERE id = $1")
        .bind(id)
        .bind(due_on)
        .execute(tx)
        .await?;
    Ok(())
}

/// A case counted in the reports.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportCase {
    pub state: String,
    pub assignee_name: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub paused_days: i32,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_on_time: Option<bool>,
    pub outcome: Option<String>,
    pub tariff_code: String,
    pub origin: String,
}

/// The cases sent between `from` and `to` (local dates, both included).
pub async fn report_cases(
    db: impl PgExecutor<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ReportCase>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.state, u.full_name AS assignee_name, c.sent_at, c.paused_days, c.closed_at,
                c.closed_on_time, c.outcome, c.tariff_code, c.origin
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
         WHERE c.state <> 'draft' AND c.sent_at >= $1 AND c.sent_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// Requests answered, and of those answered late, issued between `from` and `to`.
pub async fn requests_answered(
    db: impl PgExecutor<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE answered_at IS NOT NULL),
                count(*) FILTER (WHERE answered_at IS NOT NULL AND answer_late)
         FROM case_requests WHERE issued_at >= $1 AND issued_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
}
