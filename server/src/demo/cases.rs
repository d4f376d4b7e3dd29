//! Demo cases: a handful of the demo importer's cases in every state (a draft, a query waiting
//! for an officer, one Olga works on with a read and an unread message, a request awaiting the
//! trader due in three working days, an answered one under review, a dispelled and a confirmed
//! doubt, a withdrawn query and one a broker opened), each with its thread, request and timeline
//! dated back in working days from today. Each case is a `Spec` in `CASES`, written by
//! `seed_case`. Seeded once: nothing happens when the importer already has cases.

use app::domain::cases::EventKind::{
    self, AnswerReceived, Assigned, Created, ExtensionAsked, ExtensionGranted, ExtensionRefused,
    Message, NothingMore, Outcome, RequestIssued, Sent, Withdrawn,
};
use app::domain::cases::REQUEST_CATEGORY;
use app::domain::readable_ref::case_from_random;
use app::domain::working_days::Calendar;
use app::features::notifications::service::{Notify, notify};
use app::server::settings::CaseSettings;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use Goods::{Garlic, Laptops};
use Who::{Ana, Beto, Carlos, Olga};

/// The links of the demo's already-delivered notification mails (never sent anywhere).
const DEMO_BASE: &str = "http://127.0.0.1:3000";

/// A request's period in working days; a granted extension adds as many again.
const REQUEST_DAYS: u32 = 5;

/// The demo's people who write on cases.
#[derive(Clone, Copy)]
enum Who {
    Ana,
    Carlos,
    Beto,
    Olga,
}

/// The demo assessment a case is about.
#[derive(Clone, Copy)]
enum Goods {
    Garlic,
    Laptops,
}

/// `.0` working days before today (today's filing day for 0), at `.1`:`.2` local time.
#[derive(Clone, Copy)]
struct At(u32, u32, u32);

/// What a case is.
enum Kind {
    /// A trader's query, due this many working days after it is sent (none for a draft or a
    /// withdrawn one).
    Query(Option<u32>),
    /// An officer's request for information, with the document types it asks for.
    Request(&'static [&'static str]),
}

/// One demo case. What is not here follows from its timeline: who opened it and when, when it
/// was sent, its assignee, due date, pause, closing and last activity.
struct Spec {
    kind: Kind,
    state: &'static str,
    subject: &'static str,
    category: &'static str,
    goods: Option<Goods>,
    declaration_ref: &'static str,
    /// A closed case's outcome and next method ("" for none); the grounds are the text of its
    /// `Outcome` step.
    outcome: Option<(&'static str, &'static str)>,
    /// The timeline, oldest first, opening with its `Created` step.
    steps: &'static [Step],
}

/// What a [`Spec`] leaves out: a valuation query with no declaration and no outcome.
const SPEC: Spec = Spec {
    kind: Kind::Query(None),
    state: "",
    subject: "",
    category: "valuation",
    goods: None,
    declaration_ref: "",
    outcome: None,
    steps: &[],
};

/// One event of a case's timeline and the message it writes.
#[derive(Clone, Copy)]
struct Step {
    kind: EventKind,
    by: Who,
    at: At,
    /// The step's message (its purpose follows from `kind`; a `Created` one is a draft) or, for
    /// a withdrawal, its reason; "" for none.
    text: &'static str,
    /// Document types of the demo laptops assessment attached to the message.
    attach: &'static [&'static str],
    /// Who read the message, and when.
    read: Option<(Who, At)>,
}

const fn step(kind: EventKind, by: Who, at: At) -> Step {
    Step {
        kind,
        by,
        at,
        text: "",
        attach: &[],
        read: None,
    }
}

impl Step {
    const fn says(self, text: &'static str) -> Step {
        Step { text, ..self }
    }

    const fn attaching(self, attach: &'static [&'static str]) -> Step {
        Step { attach, ..self }
    }

    const fn read_by(self, who: Who, at: At) -> Step {
        Step {
            read: Some((who, at)),
            ..self
        }
    }
}

/// The demo cases, in the order they are written.
const CASES: &[Spec] = &[
    // 1. A draft query still being written.
    Spec {
        state: "draft",
        subject: "¿Se suma el flete interno al valor del ajo?",
        goods: Some(Garlic),
        steps: &[step(Created, Ana, At(1, 16, 20)).says(
            "Compramos el ajo FOB Qingdao y pagamos aparte el transporte hasta el almacén. \
             ¿Ese transporte interno en el Perú forma parte del valor en aduana?",
        )],
        ..SPEC
    },
    // 2. A query sent yesterday that no officer has taken yet.
    Spec {
        kind: Kind::Query(Some(5)),
        state: "submitted",
        subject: "Documentos para una declaración con pago diferido",
        category: "procedure",
        steps: &[
            step(Created, Carlos, At(1, 10, 50)),
            step(Sent, Carlos, At(1, 11, 5)).says(
                "Vamos a declarar una importación con pago diferido de tributos. ¿Qué documentos \
                 deben acompañar la declaración además de la factura y el conocimiento de \
                 embarque?",
            ),
        ],
        ..SPEC
    },
    // 3. A query Olga works on: a read exchange, then a trader message she has not opened.
    Spec {
        kind: Kind::Query(Some(10)),
        state: "in_progress",
        subject: "Vinculación con el proveedor y precio de los portátiles",
        goods: Some(Laptops),
        steps: &[
            step(Created, Ana, At(4, 9, 50)),
            step(Sent, Ana, At(4, 10, 0))
                .says(
                    "Nuestro proveedor es la casa matriz. ¿Qué debemos presentar para demostrar \
                     que la vinculación no influyó en el precio de los portátiles?",
                )
                .attaching(&["invoice"])
                .read_by(Olga, At(3, 9, 30)),
            step(Assigned, Olga, At(3, 9, 30)),
            step(Message, Olga, At(2, 15, 0))
                .says(
                    "Puede presentar el estudio de precios de transferencia y la comparación con \
                     ventas a compradores no vinculados. Indique también si hubo descuentos \
                     posteriores.",
                )
                .read_by(Ana, At(1, 8, 40)),
            step(Message, Ana, At(1, 10, 0)).says(
                "No hubo descuentos posteriores. Adjuntaremos el estudio de precios de \
                 transferencia de 2025 en cuanto lo apruebe el directorio.",
            ),
        ],
        ..SPEC
    },
    // 4. A request for information awaiting the trader, due in three working days.
    Spec {
        kind: Kind::Request(&["contract", "payment"]),
        state: "awaiting_trader",
        subject: "Duda razonable sobre el valor declarado del ajo",
        goods: Some(Garlic),
        declaration_ref: "118-2026-10-004512",
        steps: &[
            step(Created, Olga, At(2, 11, 0)),
            step(RequestIssued, Olga, At(2, 11, 0)).says(
                "El precio unitario declarado del ajo está muy por debajo de la banda publicada \
                 para el código 0703.20 y origen CN. Sírvase presentar el contrato de \
                 compraventa y las pruebas de pago que sustenten el valor.",
            ),
        ],
        ..SPEC
    },
    // 5. A request answered on time, with the contract, now under review.
    Spec {
        kind: Kind::Request(&["contract", "invoice"]),
        state: "under_review",
        subject: "Precio entre partes vinculadas: portátiles",
        goods: Some(Laptops),
        steps: &[
            step(Created, Olga, At(9, 10, 0)),
            step(RequestIssued, Olga, At(9, 10, 0))
                .says(
                    "El valor de los portátiles es inferior al de importaciones comparables y el \
                     comprador y el vendedor están vinculados. Presente el contrato y la factura \
                     que acrediten el precio pactado.",
                )
                .read_by(Ana, At(9, 15, 10)),
            step(AnswerReceived, Ana, At(5, 16, 30))
                .says(
                    "Adjuntamos el contrato de compraventa 2026-04 y la factura HT-77120. El \
                     precio se fijó con la misma fórmula que usamos con distribuidores no \
                     vinculados.",
                )
                .attaching(&["contract", "invoice"])
                .read_by(Olga, At(4, 9, 15)),
        ],
        ..SPEC
    },
    // 6. A doubt dispelled after a granted extension and an answer.
    Spec {
        kind: Kind::Request(&["price_list", "payment"]),
        state: "closed",
        subject: "Verificación del valor del ajo (octubre)",
        goods: Some(Garlic),
        declaration_ref: "118-2026-10-003377",
        outcome: Some(("dispelled", "")),
        steps: &[
            step(Created, Olga, At(25, 9, 0)),
            step(RequestIssued, Olga, At(25, 9, 0))
                .says(
                    "Se solicita la lista de precios del proveedor y las pruebas de pago para \
                     verificar el valor declarado del ajo.",
                )
                .read_by(Carlos, At(25, 14, 0)),
            step(ExtensionAsked, Carlos, At(22, 12, 0))
                .says("El proveedor nos enviará la lista de precios firmada la próxima semana.")
                .read_by(Olga, At(21, 10, 0)),
            step(ExtensionGranted, Olga, At(21, 10, 0))
                .says("Se concede la prórroga solicitada.")
                .read_by(Carlos, At(21, 15, 0)),
            step(AnswerReceived, Carlos, At(16, 11, 45))
                .says(
                    "Adjuntamos la factura comercial y la constancia de las transferencias al \
                     proveedor.",
                )
                .attaching(&["invoice"])
                .read_by(Olga, At(15, 9, 0)),
            step(Outcome, Olga, At(12, 17, 0))
                .says(
                    "La lista de precios y las transferencias bancarias coinciden con el precio \
                     declarado. El valor declarado se mantiene.",
                )
                .read_by(Ana, At(11, 9, 30)),
        ],
        ..SPEC
    },
    // 7. A doubt confirmed: the extension refused, nothing more to add, the next method named.
    Spec {
        kind: Kind::Request(&["transfer_pricing", "contract"]),
        state: "closed",
        subject: "Duda sobre el valor de portátiles (septiembre)",
        goods: Some(Laptops),
        declaration_ref: "118-2026-10-001045",
        outcome: Some(("confirmed", "identical")),
        steps: &[
            step(Created, Olga, At(40, 9, 30)),
            step(RequestIssued, Olga, At(40, 9, 30))
                .says(
                    "El valor declarado de los portátiles es un 40 % inferior al de mercancías \
                     idénticas importadas en el mismo periodo. Presente la documentación que \
                     acredite que la vinculación no influyó en el precio.",
                )
                .read_by(Ana, At(40, 12, 0)),
            step(ExtensionAsked, Ana, At(38, 10, 0))
                .says("Necesitamos más tiempo para obtener el estudio de la casa matriz.")
                .read_by(Olga, At(37, 11, 0)),
            step(ExtensionRefused, Olga, At(37, 11, 0))
                .says(
                    "El plazo concedido es suficiente para presentar documentos que ya obran en \
                     poder del importador.",
                )
                .read_by(Ana, At(37, 15, 0)),
            step(NothingMore, Ana, At(36, 16, 0))
                .says("No tenemos más documentos que aportar dentro del plazo.")
                .read_by(Olga, At(35, 9, 0)),
            step(Outcome, Olga, At(30, 12, 0))
                .says(
                    "No se acreditó que la vinculación no influyera en el precio. Se descarta el \
                     valor de transacción y se aplicará el método de mercancías idénticas.",
                )
                .read_by(Ana, At(29, 10, 0)),
        ],
        ..SPEC
    },
    // 8. A query the trader withdrew.
    Spec {
        state: "withdrawn",
        subject: "¿Se aceptan facturas electrónicas sin firma del proveedor?",
        category: "evidence",
        steps: &[
            step(Created, Carlos, At(7, 10, 15)),
            step(Sent, Carlos, At(7, 10, 15)).says(
                "Un proveedor nos envía facturas electrónicas sin firma. ¿Sirven como prueba del \
                 precio pagado?",
            ),
            step(Withdrawn, Carlos, At(6, 9, 0))
                .says("Encontramos la respuesta en la guía publicada; ya no es necesaria."),
        ],
        ..SPEC
    },
    // 9. A query the broker opened for the importer, waiting for an officer.
    Spec {
        kind: Kind::Query(Some(10)),
        state: "submitted",
        subject: "Seguro global anual: prorrateo en el valor del ajo",
        goods: Some(Garlic),
        steps: &[
            step(Created, Beto, At(2, 12, 10)),
            step(Sent, Beto, At(2, 12, 10)).says(
                "El importador tiene una póliza de seguro anual. ¿Cómo se prorratea la prima en \
                 el valor de cada embarque de ajo?",
            ),
        ],
        ..SPEC
    },
];

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

impl Cast {
    fn user(&self, who: Who) -> Uuid {
        match who {
            Ana => self.ana,
            Carlos => self.carlos,
            Beto => self.beto,
            Olga => self.olga,
        }
    }

    fn by(&self, who: Who) -> By {
        let user = self.user(who);
        match who {
            Ana | Carlos => By {
                user,
                org: self.importer,
                acting_for: None,
                side: "trader",
            },
            Beto => By {
                user,
                org: self.broker,
                acting_for: Some(self.importer),
                side: "trader",
            },
            Olga => By {
                user,
                org: self.customs,
                acting_for: None,
                side: "customs",
            },
        }
    }
}

/// What a demo assessment gives a case: its id and the copied tariff code, origin and level.
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

    fn day(&self, at: At) -> NaiveDate {
        self.back(at.0)
    }

    /// The instant of `at`, local time.
    fn when(&self, at: At) -> DateTime<Utc> {
        let naive = self.day(at).and_hms_opt(at.1, at.2, 0).unwrap_or_default();
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

/// Everything a case is written from besides its spec.
struct Demo {
    cast: Cast,
    days: DemoDays,
    garlic: Saved,
    laptops: Saved,
    /// The laptops assessment's submitted documents.
    docs: Vec<Doc>,
}

impl Demo {
    fn saved(&self, goods: Goods) -> &Saved {
        match goods {
            Garlic => &self.garlic,
            Laptops => &self.laptops,
        }
    }
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
    let demo = Demo {
        cast,
        days: DemoDays {
            today: settings.today(),
            calendar: Calendar::new(holidays),
            settings,
        },
        garlic,
        laptops,
        docs,
    };
    let mut tx = pool.begin().await?;
    for spec in CASES {
        seed_case(&mut tx, &demo, spec).await?;
    }
    tx.commit().await
}

/// The purpose of the message a step of `kind` writes, if it writes one.
fn purpose_of(kind: EventKind) -> Option<&'static str> {
    match kind {
        Created | Sent | Message => Some("message"),
        RequestIssued => Some("request"),
        ExtensionAsked => Some("extension"),
        ExtensionGranted | ExtensionRefused => Some("extension_decision"),
        AnswerReceived => Some("answer"),
        NothingMore => Some("nothing_more"),
        Outcome => Some("outcome"),
        _ => None,
    }
}

/// Writes one demo case: its row, then step by step the message with its attachments and read
/// mark, the request row where the step needs it, and the event.
async fn seed_case(tx: &mut PgConnection, demo: &Demo, spec: &Spec) -> Result<(), sqlx::Error> {
    let (cast, days) = (&demo.cast, &demo.days);
    let find = |kinds: &[EventKind]| spec.steps.iter().find(|s| kinds.contains(&s.kind));
    let (Some(opened), Some(last)) = (spec.steps.first(), spec.steps.last()) else {
        return Ok(());
    };
    let sent = find(&[Sent, RequestIssued]);
    let issued = find(&[RequestIssued]);
    let answered = find(&[AnswerReceived, NothingMore]);
    let closed = find(&[Outcome]);
    let (kind, types) = match spec.kind {
        Kind::Query(_) => ("query", &[][..]),
        Kind::Request(types) => ("request", types),
    };
    let request_due = issued.map(|s| days.add(days.day(s.at), REQUEST_DAYS));
    let query_due = match spec.kind {
        Kind::Query(Some(n)) => sent.map(|s| days.add(days.day(s.at), n)),
        _ => None,
    };
    let (due_on, paused_days, awaiting_since) = match (issued, answered) {
        // Answered: the officer's review is due, and the time with the trader is paused.
        (Some(i), Some(a)) => (
            Some(days.add(
                days.day(a.at),
                days.settings.response_days(REQUEST_CATEGORY),
            )),
            days.between(days.day(i.at), days.day(a.at)),
            None,
        ),
        (Some(i), None) => (request_due, 0, Some(days.day(i.at))),
        _ => (query_due, 0, None),
    };
    let (outcome, outcome_grounds, next_method) = match spec.outcome {
        Some((o, n)) => (Some(o), closed.map_or("", |s| s.text), n),
        None => (None, "", ""),
    };
    let closed_at = closed.map(|s| days.when(s.at));
    let creator = cast.by(opened.by);
    let broker_id = (creator.org == cast.broker).then_some(cast.broker);
    let goods = spec.goods.map(|g| demo.saved(g));
    let id = Uuid::new_v4();
    let reference = case_from_random(rand::random());
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
    .bind(&reference)
    .bind(kind)
    .bind(spec.state)
    .bind(cast.importer)
    .bind(broker_id)
    .bind(goods.map(|a| a.id))
    .bind(spec.declaration_ref)
    .bind(spec.subject)
    .bind(spec.category)
    .bind(goods.map_or("", |a| a.tariff_code.as_str()))
    .bind(goods.map_or("", |a| a.origin.as_str()))
    .bind(goods.map_or("", |a| a.level.as_str()))
    .bind(creator.user)
    .bind(days.when(opened.at))
    .bind(sent.map(|s| days.when(s.at)))
    .bind(find(&[Assigned, RequestIssued]).map(|s| cast.user(s.by)))
    .bind(due_on)
    .bind(paused_days)
    .bind(awaiting_since)
    .bind(outcome)
    .bind(outcome_grounds)
    .bind(next_method)
    .bind(closed_at)
    .bind(closed_at.map(|_| true))
    .bind(days.when(last.at))
    .execute(&mut *tx)
    .await?;

    let extended = request_due.map(|d| days.add(d, REQUEST_DAYS));
    let mut extension = find(&[ExtensionAsked])
        .zip(find(&[ExtensionGranted, ExtensionRefused]))
        .map(|(a, d)| Extension {
            asked_at: days.when(a.at),
            asked_by: cast.user(a.by),
            reason: a.text,
            decided_at: days.when(d.at),
            decided_by: cast.user(d.by),
            decision: extended
                .filter(|_| d.kind == ExtensionGranted)
                .ok_or(d.text),
        });
    let mut request_id = None;
    for s in spec.steps {
        let by = cast.by(s.by);
        let at = days.when(s.at);
        let purpose = purpose_of(s.kind).filter(|_| !s.text.is_empty());
        let mut message_id = None;
        if let Some(purpose) = purpose {
            // Only a draft's opening message is unsent.
            let m = message(tx, id, by, purpose, s.text, at, s.kind != Created).await?;
            for t in s.attach {
                if let Some(d) = demo.docs.iter().find(|d| d.doc_type == *t) {
                    attach(tx, m, d).await?;
                }
            }
            if let Some((who, when)) = s.read {
                read(tx, m, cast.user(who), days.when(when)).await?;
            }
            message_id = Some(m);
        }
        let answers = matches!(s.kind, AnswerReceived | NothingMore);
        // A request row is written whole: with its answer, or as issued while unanswered.
        let pending = s.kind == RequestIssued && answered.is_none();
        if let (true, Some(i), Some(due)) = (answers || pending, issued, request_due) {
            let answer = message_id.zip(purpose).filter(|_| answers);
            let r = NewRequest {
                case_id: id,
                issued_by: cast.user(i.by),
                issued_at: days.when(i.at),
                grounds: i.text,
                types,
                due_on: due,
                extension: extension.take(),
                answer: answer.map(|(message, kind)| Answer {
                    at,
                    by: by.user,
                    kind,
                    message,
                }),
            };
            request_id = Some(request(tx, r).await?);
        }
        let detail = match s.kind {
            Created => json!({}),
            Assigned => json!({ "assignee": by.user }),
            RequestIssued => json!({ "message_id": message_id, "due_on": request_due }),
            ExtensionAsked | ExtensionRefused => {
                json!({ "message_id": message_id, "reason": s.text })
            }
            ExtensionGranted => json!({ "message_id": message_id, "due_on": extended }),
            AnswerReceived | NothingMore => {
                json!({ "message_id": message_id, "request_id": request_id, "late": false })
            }
            Outcome if next_method.is_empty() => {
                json!({ "message_id": message_id, "outcome": outcome })
            }
            Outcome => json!({
                "message_id": message_id, "outcome": outcome, "next_method": next_method
            }),
            Withdrawn => json!({ "reason": s.text }),
            _ => json!({ "message_id": message_id }),
        };
        let event_id = event(tx, id, s.kind, by, at, detail).await?;
        if pending {
            let mail = Notify {
                case_id: id,
                reference: &reference,
                importer_id: cast.importer,
                broker_id,
                event_id,
                kind: s.kind,
                public_base: DEMO_BASE,
            };
            delivered(tx, &mail, at).await?;
            // Its first reminder counts as written with the request (it is due today or soon),
            // so a demo server's first housekeeping run mails no one.
            sqlx::query(
                "INSERT INTO case_reminders (request_id, due_on, purpose)
                 VALUES ($1, $2, 'reminder_before') ON CONFLICT DO NOTHING",
            )
            .bind(request_id)
            .bind(request_due)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21)",
    )
    .bind(id)
    .bind(r.case_id)
    .bind(r.issued_by)
    .bind(r.issued_at)
    .bind(r.grounds)
    .bind(types)
    .bind(REQUEST_DAYS as i32)
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
    step: &Notify<'_>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    notify(tx, step).await?;
    sqlx::query(
        "UPDATE outbox SET sent_at = $2 + interval '1 minute', attempts = 1, created_at = $2
         WHERE id IN (SELECT outbox_id FROM case_notifications WHERE event_id = $1)",
    )
    .bind(step.event_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
