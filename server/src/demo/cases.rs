//! Demo cases: a handful of the demo importer's cases in every state (a draft, a query waiting
//! for an officer, one Olga works on with a read and an unread message, a request awaiting the
//! trader due in three working days, an answered one under review, a dispelled and a confirmed
//! doubt, a withdrawn query and one a broker opened), each with its thread, request and timeline
//! dated back in working days from today. Seeded once: nothing happens when the importer already
//! has cases.

use app::domain::cases::EventKind;
use app::domain::readable_ref::case_from_random;
use app::domain::working_days::Calendar;
use app::features::notifications::service::{Notify, notify};
use app::server::settings::CaseSettings;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The links of the demo's already-delivered notification mails (never sent anywhere).
const DEMO_BASE: &str = "http://127.0.0.1:3000";

/// The people and organisations of the demo.
struct Cast {
    importer: Uuid,
    broker: Uuid,
    customs: Uuid,
    ana: Uuid,
    carlos: Uuid,
    beto: Uuid,
    olga: Uuid,
}

/// What a demo assessment gives a case: its id and the copied tariff code, origin and level.
#[derive(Clone)]
struct Saved {
    id: Uuid,
    tariff_code: String,
    origin: String,
    level: String,
}

/// A submitted document of a demo assessment, attached to case messages by reference.
#[derive(sqlx::FromRow)]
struct Doc {
    id: Uuid,
    blob_id: Uuid,
    doc_type: String,
    file_name: String,
    sha256: String,
    byte_size: i64,
    confidential: bool,
}

/// Dates of the demo: today and the working-day calendar.
struct DemoDays {
    today: NaiveDate,
    calendar: Calendar,
    settings: CaseSettings,
}

impl DemoDays {
    /// The `n`-th working day before today (today's filing day for 0).
    fn back(&self, n: u32) -> NaiveDate {
        let mut d = self.today;
        let mut left = n;
        while left > 0 {
            d = d.checked_sub_days(Days::new(1)).unwrap_or(d);
            if self.calendar.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// `day` at `hour`:`minute` local time.
    fn at(&self, day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
        let naive = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
        self.settings
            .time_zone
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| naive.and_utc())
    }

    fn add(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.calendar.add_working_days(from, n)
    }

    fn between(&self, from: NaiveDate, to: NaiveDate) -> i32 {
        self.calendar.working_days_between(from, to) as i32
    }
}

/// One case row as inserted.
struct NewCase<'a> {
    kind: &'a str,
    state: &'a str,
    broker_id: Option<Uuid>,
    assessment: Option<&'a Saved>,
    declaration_ref: &'a str,
    subject: &'a str,
    category: &'a str,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    assignee_id: Option<Uuid>,
    due_on: Option<NaiveDate>,
    paused_days: i32,
    awaiting_since: Option<NaiveDate>,
    outcome: Option<(&'a str, &'a str, &'a str)>,
    closed_at: Option<DateTime<Utc>>,
    last_activity_at: DateTime<Utc>,
}

/// A person writing on a case: who, for which organisation, acting for whom.
#[derive(Clone, Copy)]
struct By {
    user: Uuid,
    org: Uuid,
    acting_for: Option<Uuid>,
    side: &'static str,
}

/// One request row as inserted.
struct NewRequest<'a> {
    case_id: Uuid,
    issued_by: Uuid,
    issued_at: DateTime<Utc>,
    grounds: &'a str,
    types: &'a [&'a str],
    due_on: NaiveDate,
    extension: Option<Extension<'a>>,
    answer: Option<Answer<'a>>,
}

/// The one extension of a request: asked, and granted with a new due date or refused.
struct Extension<'a> {
    asked_at: DateTime<Utc>,
    asked_by: Uuid,
    reason: &'a str,
    decided_at: DateTime<Utc>,
    decided_by: Uuid,
    decision: Result<NaiveDate, &'a str>,
}

/// The trader's answer to a request.
struct Answer<'a> {
    at: DateTime<Utc>,
    by: Uuid,
    kind: &'a str,
    message: Uuid,
}

/// Seeds the demo cases of `importer` once.
pub async fn seed(pool: &PgPool, importer: Uuid, broker: Uuid) -> Result<(), sqlx::Error> {
    let seeded: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cases WHERE importer_id = $1)")
            .bind(importer)
            .fetch_one(pool)
            .await?;
    if seeded {
        return Ok(());
    }
    let user = |email: &'static str| async move {
        sqlx::query_as::<_, (Uuid, Uuid)>("SELECT id, organisation_id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(pool)
            .await
    };
    let (olga, customs) = user("olga.oficial@sunat.demo").await?;
    let cast = Cast {
        importer,
        broker,
        customs,
        ana: user("ana.admin@importadora.demo").await?.0,
        carlos: user("carlos.cumplimiento@importadora.demo").await?.0,
        beto: user("beto.agente@agencia.demo").await?.0,
        olga,
    };
    let saved = |label: &'static str| async move {
        sqlx::query_as::<_, (Uuid, String, String, String)>(
            "SELECT id, tariff_code, origin, level FROM assessments
             WHERE owner_id = $1 AND label = $2 ORDER BY created_at LIMIT 1",
        )
        .bind(importer)
        .bind(label)
        .fetch_optional(pool)
        .await
        .map(|row| {
            row.map(|(id, tariff_code, origin, level)| Saved {
                id,
                tariff_code,
                origin,
                level,
            })
        })
    };
    let (Some(garlic), Some(laptops)) = (
        saved("Demo: ajo de Shandong (factura en borrador)").await?,
        saved("Demo: portátiles de proveedor vinculado (presentada)").await?,
    ) else {
        tracing::warn!("demo assessments missing: no demo cases");
        return Ok(());
    };
    let docs: Vec<Doc> = sqlx::query_as(
        "SELECT d.id, d.blob_id, d.doc_type, d.file_name, d.sha256, b.byte_size, d.confidential
         FROM documents d JOIN document_blobs b ON b.id = d.blob_id
         WHERE d.assessment_id = $1 AND d.submission_id IS NOT NULL AND NOT d.confidential
         ORDER BY d.uploaded_at",
    )
    .bind(laptops.id)
    .fetch_all(pool)
    .await?;
    let settings = CaseSettings::default();
    let holidays: Vec<NaiveDate> = sqlx::query_scalar("SELECT day FROM holidays")
        .fetch_all(pool)
        .await?;
    let days = DemoDays {
        today: settings.today(),
        calendar: Calendar::new(holidays),
        settings,
    };
    let mut tx = pool.begin().await?;
    let ana = By {
        user: cast.ana,
        org: cast.importer,
        acting_for: None,
        side: "trader",
    };
    let carlos = By {
        user: cast.carlos,
        ..ana
    };
    let beto = By {
        user: cast.beto,
        org: cast.broker,
        acting_for: Some(cast.importer),
        side: "trader",
    };
    let officer = By {
        user: cast.olga,
        org: cast.customs,
        acting_for: None,
        side: "customs",
    };
    let doc = |t: &str| docs.iter().find(|d| d.doc_type == t);

    // 1. A draft query still being written.
    {
        let created = days.at(days.back(1), 16, 20);
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "query",
                state: "draft",
                broker_id: None,
                assessment: Some(&garlic),
                declaration_ref: "",
                subject: "¿Se suma el flete interno al valor del ajo?",
                category: "valuation",
                created_by: cast.ana,
                created_at: created,
                sent_at: None,
                assignee_id: None,
                due_on: None,
                paused_days: 0,
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: created,
            },
        )
        .await?;
        message(
            &mut tx,
            id,
            ana,
            "message",
            "Compramos el ajo FOB Qingdao y pagamos aparte el transporte hasta el almacén. \
             ¿Ese transporte interno en el Perú forma parte del valor en aduana?",
            created,
            false,
        )
        .await?;
        event(&mut tx, id, EventKind::Created, ana, created, json!({})).await?;
    }

    // 2. A query sent yesterday that no officer has taken yet.
    {
        let sent_day = days.back(1);
        let created = days.at(sent_day, 10, 50);
        let sent = days.at(sent_day, 11, 5);
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "query",
                state: "submitted",
                broker_id: None,
                assessment: None,
                declaration_ref: "",
                subject: "Documentos para una declaración con pago diferido",
                category: "procedure",
                created_by: cast.carlos,
                created_at: created,
                sent_at: Some(sent),
                assignee_id: None,
                due_on: Some(days.add(sent_day, 5)),
                paused_days: 0,
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: sent,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, carlos, created, json!({})).await?;
        let m = message(
            &mut tx,
            id,
            carlos,
            "message",
            "Vamos a declarar una importación con pago diferido de tributos. ¿Qué documentos \
             deben acompañar la declaración además de la factura y el conocimiento de embarque?",
            sent,
            true,
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Sent,
            carlos,
            sent,
            json!({ "message_id": m }),
        )
        .await?;
    }

    // 3. A query Olga works on: a read exchange, then a trader message she has not opened.
    {
        let sent_day = days.back(4);
        let created = days.at(sent_day, 9, 50);
        let sent = days.at(sent_day, 10, 0);
        let taken = days.at(days.back(3), 9, 30);
        let reply = days.at(days.back(2), 15, 0);
        let follow_up = days.at(days.back(1), 10, 0);
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "query",
                state: "in_progress",
                broker_id: None,
                assessment: Some(&laptops),
                declaration_ref: "",
                subject: "Vinculación con el proveedor y precio de los portátiles",
                category: "valuation",
                created_by: cast.ana,
                created_at: created,
                sent_at: Some(sent),
                assignee_id: Some(cast.olga),
                due_on: Some(days.add(sent_day, 10)),
                paused_days: 0,
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: follow_up,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, ana, created, json!({})).await?;
        let m1 = message(
            &mut tx,
            id,
            ana,
            "message",
            "Nuestro proveedor es la casa matriz. ¿Qué debemos presentar para demostrar que la \
             vinculación no influyó en el precio de los portátiles?",
            sent,
            true,
        )
        .await?;
        if let Some(d) = doc("invoice") {
            attach(&mut tx, m1, d).await?;
        }
        event(
            &mut tx,
            id,
            EventKind::Sent,
            ana,
            sent,
            json!({ "message_id": m1 }),
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Assigned,
            officer,
            taken,
            json!({ "assignee": cast.olga }),
        )
        .await?;
        read(&mut tx, m1, cast.olga, taken).await?;
        let m2 = message(
            &mut tx,
            id,
            officer,
            "message",
            "Puede presentar el estudio de precios de transferencia y la comparación con ventas \
             a compradores no vinculados. Indique también si hubo descuentos posteriores.",
            reply,
            true,
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Message,
            officer,
            reply,
            json!({ "message_id": m2 }),
        )
        .await?;
        read(&mut tx, m2, cast.ana, days.at(days.back(1), 8, 40)).await?;
        let m3 = message(
            &mut tx,
            id,
            ana,
            "message",
            "No hubo descuentos posteriores. Adjuntaremos el estudio de precios de transferencia \
             de 2025 en cuanto lo apruebe el directorio.",
            follow_up,
            true,
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Message,
            ana,
            follow_up,
            json!({ "message_id": m3 }),
        )
        .await?;
    }

    // 4. A request for information awaiting the trader, due in three working days.
    {
        let issued_day = days.calendar.filing_day(days.back(2));
        let issued = days.at(issued_day, 11, 0);
        let due = days.add(issued_day, 5);
        let grounds = "El precio unitario declarado del ajo está muy por debajo de la banda \
                       publicada para el código 0703.20 y origen CN. Sírvase presentar el \
                       contrato de compraventa y las pruebas de pago que sustenten el valor.";
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "request",
                state: "awaiting_trader",
                broker_id: None,
                assessment: Some(&garlic),
                declaration_ref: "118-2026-10-004512",
                subject: "Duda razonable sobre el valor declarado del ajo",
                category: "valuation",
                created_by: cast.olga,
                created_at: issued,
                sent_at: Some(issued),
                assignee_id: Some(cast.olga),
                due_on: Some(due),
                paused_days: 0,
                awaiting_since: Some(issued_day),
                outcome: None,
                closed_at: None,
                last_activity_at: issued,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, officer, issued, json!({})).await?;
        let m = message(&mut tx, id, officer, "request", grounds, issued, true).await?;
        let request_id = request(
            &mut tx,
            NewRequest {
                case_id: id,
                issued_by: cast.olga,
                issued_at: issued,
                grounds,
                types: &["contract", "payment"],
                due_on: due,
                extension: None,
                answer: None,
            },
        )
        .await?;
        let e = event(
            &mut tx,
            id,
            EventKind::RequestIssued,
            officer,
            issued,
            json!({ "message_id": m, "due_on": due }),
        )
        .await?;
        delivered(&mut tx, &cast, id, e, EventKind::RequestIssued, issued).await?;
        // Its first reminder counts as written with the request (it is due today or soon), so a
        // demo server's first housekeeping run mails no one.
        sqlx::query(
            "INSERT INTO case_reminders (request_id, due_on, purpose)
             VALUES ($1, $2, 'reminder_before') ON CONFLICT DO NOTHING",
        )
        .bind(request_id)
        .bind(due)
        .execute(&mut *tx)
        .await?;
    }

    // 5. A request answered on time, with the contract, now under review.
    {
        let issued_day = days.back(9);
        let issued = days.at(issued_day, 10, 0);
        let due = days.add(issued_day, 5);
        let answered_day = days.back(5);
        let answered = days.at(answered_day, 16, 30);
        let grounds = "El valor de los portátiles es inferior al de importaciones comparables \
                       y el comprador y el vendedor están vinculados. Presente el contrato y la \
                       factura que acrediten el precio pactado.";
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "request",
                state: "under_review",
                broker_id: None,
                assessment: Some(&laptops),
                declaration_ref: "",
                subject: "Precio entre partes vinculadas: portátiles",
                category: "valuation",
                created_by: cast.olga,
                created_at: issued,
                sent_at: Some(issued),
                assignee_id: Some(cast.olga),
                due_on: Some(
                    days.add(
                        answered_day,
                        days.settings
                            .response_days(app::domain::cases::REQUEST_CATEGORY),
                    ),
                ),
                paused_days: days.between(issued_day, answered_day),
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: answered,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, officer, issued, json!({})).await?;
        let m1 = message(&mut tx, id, officer, "request", grounds, issued, true).await?;
        read(&mut tx, m1, cast.ana, days.at(issued_day, 15, 10)).await?;
        event(
            &mut tx,
            id,
            EventKind::RequestIssued,
            officer,
            issued,
            json!({ "message_id": m1, "due_on": due }),
        )
        .await?;
        let m2 = message(
            &mut tx,
            id,
            ana,
            "answer",
            "Adjuntamos el contrato de compraventa 2026-04 y la factura HT-77120. El precio se \
             fijó con la misma fórmula que usamos con distribuidores no vinculados.",
            answered,
            true,
        )
        .await?;
        for t in ["contract", "invoice"] {
            if let Some(d) = doc(t) {
                attach(&mut tx, m2, d).await?;
            }
        }
        read(&mut tx, m2, cast.olga, days.at(days.back(4), 9, 15)).await?;
        let request_id = request(
            &mut tx,
            NewRequest {
                case_id: id,
                issued_by: cast.olga,
                issued_at: issued,
                grounds,
                types: &["contract", "invoice"],
                due_on: due,
                extension: None,
                answer: Some(Answer {
                    at: answered,
                    by: cast.ana,
                    kind: "answer",
                    message: m2,
                }),
            },
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::AnswerReceived,
            ana,
            answered,
            json!({ "message_id": m2, "request_id": request_id, "late": false }),
        )
        .await?;
    }

    // 6. A doubt dispelled after a granted extension and an answer.
    {
        let issued_day = days.back(25);
        let issued = days.at(issued_day, 9, 0);
        let due = days.add(issued_day, 5);
        let asked = days.at(days.back(22), 12, 0);
        let decided = days.at(days.back(21), 10, 0);
        let extended = days.add(due, 5);
        let answered_day = days.back(16);
        let answered = days.at(answered_day, 11, 45);
        let closed = days.at(days.back(12), 17, 0);
        let grounds = "Se solicita la lista de precios del proveedor y las pruebas de pago para \
                       verificar el valor declarado del ajo.";
        let outcome_grounds = "La lista de precios y las transferencias bancarias coinciden con \
                               el precio declarado. El valor declarado se mantiene.";
        let target = days.add(
            answered_day,
            days.settings
                .response_days(app::domain::cases::REQUEST_CATEGORY),
        );
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "request",
                state: "closed",
                broker_id: None,
                assessment: Some(&garlic),
                declaration_ref: "118-2026-10-003377",
                subject: "Verificación del valor del ajo (octubre)",
                category: "valuation",
                created_by: cast.olga,
                created_at: issued,
                sent_at: Some(issued),
                assignee_id: Some(cast.olga),
                due_on: Some(target),
                paused_days: days.between(issued_day, answered_day),
                awaiting_since: None,
                outcome: Some(("dispelled", outcome_grounds, "")),
                closed_at: Some(closed),
                last_activity_at: closed,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, officer, issued, json!({})).await?;
        let m1 = message(&mut tx, id, officer, "request", grounds, issued, true).await?;
        read(&mut tx, m1, cast.carlos, days.at(issued_day, 14, 0)).await?;
        event(
            &mut tx,
            id,
            EventKind::RequestIssued,
            officer,
            issued,
            json!({ "message_id": m1, "due_on": due }),
        )
        .await?;
        let reason = "El proveedor nos enviará la lista de precios firmada la próxima semana.";
        let m2 = message(&mut tx, id, carlos, "extension", reason, asked, true).await?;
        read(&mut tx, m2, cast.olga, decided).await?;
        event(
            &mut tx,
            id,
            EventKind::ExtensionAsked,
            carlos,
            asked,
            json!({ "message_id": m2, "reason": reason }),
        )
        .await?;
        let m3 = message(
            &mut tx,
            id,
            officer,
            "extension_decision",
            "Se concede la prórroga solicitada.",
            decided,
            true,
        )
        .await?;
        read(&mut tx, m3, cast.carlos, days.at(days.back(21), 15, 0)).await?;
        event(
            &mut tx,
            id,
            EventKind::ExtensionGranted,
            officer,
            decided,
            json!({ "message_id": m3, "due_on": extended }),
        )
        .await?;
        let m4 = message(
            &mut tx,
            id,
            carlos,
            "answer",
            "Adjuntamos la factura comercial y la constancia de las transferencias al proveedor.",
            answered,
            true,
        )
        .await?;
        if let Some(d) = doc("invoice") {
            attach(&mut tx, m4, d).await?;
        }
        read(&mut tx, m4, cast.olga, days.at(days.back(15), 9, 0)).await?;
        let request_id = request(
            &mut tx,
            NewRequest {
                case_id: id,
                issued_by: cast.olga,
                issued_at: issued,
                grounds,
                types: &["price_list", "payment"],
                due_on: due,
                extension: Some(Extension {
                    asked_at: asked,
                    asked_by: cast.carlos,
                    reason,
                    decided_at: decided,
                    decided_by: cast.olga,
                    decision: Ok(extended),
                }),
                answer: Some(Answer {
                    at: answered,
                    by: cast.carlos,
                    kind: "answer",
                    message: m4,
                }),
            },
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::AnswerReceived,
            carlos,
            answered,
            json!({ "message_id": m4, "request_id": request_id, "late": false }),
        )
        .await?;
        let m5 = message(
            &mut tx,
            id,
            officer,
            "outcome",
            outcome_grounds,
            closed,
            true,
        )
        .await?;
        read(&mut tx, m5, cast.ana, days.at(days.back(11), 9, 30)).await?;
        event(
            &mut tx,
            id,
            EventKind::Outcome,
            officer,
            closed,
            json!({ "message_id": m5, "outcome": "dispelled" }),
        )
        .await?;
    }

    // 7. A doubt confirmed: the extension refused, nothing more to add, the next method named.
    {
        let issued_day = days.back(40);
        let issued = days.at(issued_day, 9, 30);
        let due = days.add(issued_day, 5);
        let asked = days.at(days.back(38), 10, 0);
        let decided = days.at(days.back(37), 11, 0);
        let answered_day = days.back(36);
        let answered = days.at(answered_day, 16, 0);
        let closed = days.at(days.back(30), 12, 0);
        let grounds = "El valor declarado de los portátiles es un 40 % inferior al de \
                       mercancías idénticas importadas en el mismo periodo. Presente la \
                       documentación que acredite que la vinculación no influyó en el precio.";
        let refusal = "El plazo concedido es suficiente para presentar documentos que ya obran \
                       en poder del importador.";
        let outcome_grounds = "No se acreditó que la vinculación no influyera en el precio. Se \
                               descarta el valor de transacción y se aplicará el método de \
                               mercancías idénticas.";
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "request",
                state: "closed",
                broker_id: None,
                assessment: Some(&laptops),
                declaration_ref: "118-2026-10-001045",
                subject: "Duda sobre el valor de portátiles (septiembre)",
                category: "valuation",
                created_by: cast.olga,
                created_at: issued,
                sent_at: Some(issued),
                assignee_id: Some(cast.olga),
                due_on: Some(
                    days.add(
                        answered_day,
                        days.settings
                            .response_days(app::domain::cases::REQUEST_CATEGORY),
                    ),
                ),
                paused_days: days.between(issued_day, answered_day),
                awaiting_since: None,
                outcome: Some(("confirmed", outcome_grounds, "identical")),
                closed_at: Some(closed),
                last_activity_at: closed,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, officer, issued, json!({})).await?;
        let m1 = message(&mut tx, id, officer, "request", grounds, issued, true).await?;
        read(&mut tx, m1, cast.ana, days.at(issued_day, 12, 0)).await?;
        event(
            &mut tx,
            id,
            EventKind::RequestIssued,
            officer,
            issued,
            json!({ "message_id": m1, "due_on": due }),
        )
        .await?;
        let reason = "Necesitamos más tiempo para obtener el estudio de la casa matriz.";
        let m2 = message(&mut tx, id, ana, "extension", reason, asked, true).await?;
        read(&mut tx, m2, cast.olga, decided).await?;
        event(
            &mut tx,
            id,
            EventKind::ExtensionAsked,
            ana,
            asked,
            json!({ "message_id": m2, "reason": reason }),
        )
        .await?;
        let m3 = message(
            &mut tx,
            id,
            officer,
            "extension_decision",
            refusal,
            decided,
            true,
        )
        .await?;
        read(&mut tx, m3, cast.ana, days.at(days.back(37), 15, 0)).await?;
        event(
            &mut tx,
            id,
            EventKind::ExtensionRefused,
            officer,
            decided,
            json!({ "message_id": m3, "reason": refusal }),
        )
        .await?;
        let m4 = message(
            &mut tx,
            id,
            ana,
            "nothing_more",
            "No tenemos más documentos que aportar dentro del plazo.",
            answered,
            true,
        )
        .await?;
        read(&mut tx, m4, cast.olga, days.at(days.back(35), 9, 0)).await?;
        let request_id = request(
            &mut tx,
            NewRequest {
                case_id: id,
                issued_by: cast.olga,
                issued_at: issued,
                grounds,
                types: &["transfer_pricing", "contract"],
                due_on: due,
                extension: Some(Extension {
                    asked_at: asked,
                    asked_by: cast.ana,
                    reason,
                    decided_at: decided,
                    decided_by: cast.olga,
                    decision: Err(refusal),
                }),
                answer: Some(Answer {
                    at: answered,
                    by: cast.ana,
                    kind: "nothing_more",
                    message: m4,
                }),
            },
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::NothingMore,
            ana,
            answered,
            json!({ "message_id": m4, "request_id": request_id, "late": false }),
        )
        .await?;
        let m5 = message(
            &mut tx,
            id,
            officer,
            "outcome",
            outcome_grounds,
            closed,
            true,
        )
        .await?;
        read(&mut tx, m5, cast.ana, days.at(days.back(29), 10, 0)).await?;
        event(
            &mut tx,
            id,
            EventKind::Outcome,
            officer,
            closed,
            json!({ "message_id": m5, "outcome": "confirmed", "next_method": "identical" }),
        )
        .await?;
    }

    // 8. A query the trader withdrew.
    {
        let sent_day = days.back(7);
        let sent = days.at(sent_day, 10, 15);
        let withdrawn = days.at(days.back(6), 9, 0);
        let reason = "Encontramos la respuesta en la guía publicada; ya no es necesaria.";
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "query",
                state: "withdrawn",
                broker_id: None,
                assessment: None,
                declaration_ref: "",
                subject: "¿Se aceptan facturas electrónicas sin firma del proveedor?",
                category: "evidence",
                created_by: cast.carlos,
                created_at: sent,
                sent_at: Some(sent),
                assignee_id: None,
                due_on: None,
                paused_days: 0,
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: withdrawn,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, carlos, sent, json!({})).await?;
        let m = message(
            &mut tx,
            id,
            carlos,
            "message",
            "Un proveedor nos envía facturas electrónicas sin firma. ¿Sirven como prueba del \
             precio pagado?",
            sent,
            true,
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Sent,
            carlos,
            sent,
            json!({ "message_id": m }),
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Withdrawn,
            carlos,
            withdrawn,
            json!({ "reason": reason }),
        )
        .await?;
    }

    // 9. A query the broker opened for the importer, waiting for an officer.
    {
        let sent_day = days.back(2);
        let sent = days.at(sent_day, 12, 10);
        let id = case(
            &mut tx,
            &cast,
            NewCase {
                kind: "query",
                state: "submitted",
                broker_id: Some(cast.broker),
                assessment: Some(&garlic),
                declaration_ref: "",
                subject: "Seguro global anual: prorrateo en el valor del ajo",
                category: "valuation",
                created_by: cast.beto,
                created_at: sent,
                sent_at: Some(sent),
                assignee_id: None,
                due_on: Some(days.add(sent_day, 10)),
                paused_days: 0,
                awaiting_since: None,
                outcome: None,
                closed_at: None,
                last_activity_at: sent,
            },
        )
        .await?;
        event(&mut tx, id, EventKind::Created, beto, sent, json!({})).await?;
        let m = message(
            &mut tx,
            id,
            beto,
            "message",
            "El importador tiene una póliza de seguro anual. ¿Cómo se prorratea la prima en el \
             valor de cada embarque de ajo?",
            sent,
            true,
        )
        .await?;
        event(
            &mut tx,
            id,
            EventKind::Sent,
            beto,
            sent,
            json!({ "message_id": m }),
        )
        .await?;
    }
    tx.commit().await
}

async fn case(tx: &mut PgConnection, cast: &Cast, c: NewCase<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let (outcome, grounds, next_method) = c.outcome.unwrap_or_default();
    sqlx::query(
        "INSERT INTO cases (id, reference, kind, state, importer_id, broker_id, assessment_id,
                            declaration_ref, subject, category, tariff_code, origin, level,
                            created_by, created_at, sent_at, assignee_id, due_on, paused_days,
                            awaiting_since, outcome, outcome_grounds, next_method, closed_at,
                            closed_on_time, last_activity_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21, $22, $23, $24, $25, $26)",
    )
    .bind(id)
    .bind(case_from_random(rand::random()))
    .bind(c.kind)
    .bind(c.state)
    .bind(cast.importer)
    .bind(c.broker_id)
    .bind(c.assessment.map(|a| a.id))
    .bind(c.declaration_ref)
    .bind(c.subject)
    .bind(c.category)
    .bind(c.assessment.map(|a| a.tariff_code.as_str()).unwrap_or(""))
    .bind(c.assessment.map(|a| a.origin.as_str()).unwrap_or(""))
    .bind(c.assessment.map(|a| a.level.as_str()).unwrap_or(""))
    .bind(c.created_by)
    .bind(c.created_at)
    .bind(c.sent_at)
    .bind(c.assignee_id)
    .bind(c.due_on)
    .bind(c.paused_days)
    .bind(c.awaiting_since)
    .bind(c.outcome.map(|_| outcome))
    .bind(grounds)
    .bind(next_method)
    .bind(c.closed_at)
    .bind(c.closed_at.map(|_| true))
    .bind(c.last_activity_at)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

async fn event(
    tx: &mut PgConnection,
    case_id: Uuid,
    kind: EventKind,
    by: By,
    at: DateTime<Utc>,
    detail: Value,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO case_events (case_id, at, kind, actor_id, actor_org, acting_for, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(at)
    .bind(kind.code())
    .bind(by.user)
    .bind(by.org)
    .bind(by.acting_for)
    .bind(detail)
    .fetch_one(&mut *tx)
    .await
}

async fn message(
    tx: &mut PgConnection,
    case_id: Uuid,
    by: By,
    purpose: &str,
    body: &str,
    at: DateTime<Utc>,
    sent: bool,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO case_messages (id, case_id, side, purpose, author_id, author_org, acting_for,
                                    body, created_at, sent_at, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(case_id)
    .bind(by.side)
    .bind(purpose)
    .bind(by.user)
    .bind(by.org)
    .bind(by.acting_for)
    .bind(body)
    .bind(at)
    .bind(sent.then_some(at))
    .bind(Uuid::new_v4())
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

async fn read(
    tx: &mut PgConnection,
    message_id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_message_reads (message_id, read_by, read_at) VALUES ($1, $2, $3)",
    )
    .bind(message_id)
    .bind(by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn attach(tx: &mut PgConnection, message_id: Uuid, doc: &Doc) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_attachments (id, message_id, blob_id, document_id, doc_type, file_name,
                                       sha256, byte_size, confidential)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(Uuid::new_v4())
    .bind(message_id)
    .bind(doc.blob_id)
    .bind(doc.id)
    .bind(&doc.doc_type)
    .bind(&doc.file_name)
    .bind(&doc.sha256)
    .bind(doc.byte_size)
    .bind(doc.confidential)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn request(tx: &mut PgConnection, r: NewRequest<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let types: Vec<String> = r.types.iter().map(|t| t.to_string()).collect();
    let e = r.extension.as_ref();
    let (granted, extension_due_on, refusal) = match e.map(|e| e.decision) {
        Some(Ok(due)) => (Some(true), Some(due), ""),
        Some(Err(refusal)) => (Some(false), None, refusal),
        None => (None, None, ""),
    };
    let a = r.answer.as_ref();
    sqlx::query(
        "INSERT INTO case_requests (id, case_id, issued_by, issued_at, grounds, requested_types,
                                    period_days, due_on, extension_asked_at, extension_asked_by,
                                    extension_reason, extension_decided_at, extension_decided_by,
                                    extension_granted, extension_due_on, extension_refusal,
                                    answered_at, answered_by, answer_kind, answer_message_id,
                                    answer_late)
         VALUES ($1, $2, $3, $4, $5, $6, 5, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20)",
    )
    .bind(id)
    .bind(r.case_id)
    .bind(r.issued_by)
    .bind(r.issued_at)
    .bind(r.grounds)
    .bind(types)
    .bind(r.due_on)
    .bind(e.map(|e| e.asked_at))
    .bind(e.map(|e| e.asked_by))
    .bind(e.map(|e| e.reason).unwrap_or(""))
    .bind(e.map(|e| e.decided_at))
    .bind(e.map(|e| e.decided_by))
    .bind(granted)
    .bind(extension_due_on)
    .bind(refusal)
    .bind(a.map(|a| a.at))
    .bind(a.map(|a| a.by))
    .bind(a.map(|a| a.kind))
    .bind(a.map(|a| a.message))
    .bind(a.map(|_| false))
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// Writes a step's notification mails and marks them delivered, so the demo case shows its
/// deliveries without mailing anyone.
async fn delivered(
    tx: &mut PgConnection,
    cast: &Cast,
    case_id: Uuid,
    event_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let reference: String = sqlx::query_scalar("SELECT reference FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await?;
    notify(
        tx,
        &Notify {
            case_id,
            reference: &reference,
            importer_id: cast.importer,
            broker_id: None,
            event_id,
            kind,
            public_base: DEMO_BASE,
        },
    )
    .await?;
    sqlx::query(
        "UPDATE outbox SET sent_at = $2 + interval '1 minute', attempts = 1, created_at = $2
         WHERE id IN (SELECT outbox_id FROM case_notifications WHERE event_id = $1)",
    )
    .bind(event_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
