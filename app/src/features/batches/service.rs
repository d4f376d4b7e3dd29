//! Running a batch: every line through the check the form uses, sharing lookups. An uploaded
//! invoice is read, checked and saved whole; a saved batch's results are written out as CSV; the
//! checks API's body is read, checked and answered as JSON.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::MAX_LINES;
use super::repo::StoredLine;
use super::repo::{self, NewBatch};
use super::{BatchLine, FileError, REASONS_COLUMN};
use crate::domain::evidence::Reason;
use crate::domain::valuation::format_money;
use crate::error::AppError;
use crate::features::check::service::CheckCache;
use crate::features::check::service::run;
use crate::features::check::{
    CheckForm, CheckOutcome, FIELD_NAMES, FieldKind, REQUIRED_FIELDS, field,
};
use crate::i18n::Msg;
use crate::i18n::{Lang, t};
use crate::labels::verdict_msg;
use crate::server::audit::AuditEvent;
use crate::server::quota::{self, ApiLineMeter, Counted, Exceeded, Quotas};
use crate::server::sessions::Session;
use crate::server::settings::BandSettings;
use crate::server::spreadsheet::{Limits, SheetError, Table, inert, read_table};

/// One line's answers and what the check made of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineResult {
    pub line: usize,
    pub form: CheckForm,
    /// The outcome, or (field, message) problems in the uploader's language.
    pub result: Result<CheckOutcome, Vec<(String, String)>>,
}

/// Checks every line. A line's own problems stay with it; a failure of the service itself
/// (the database gone) fails the whole batch, so nothing is kept half-checked.
pub async fn check_lines(
    pool: &PgPool,
    (settings, cache): (&BandSettings, &CheckCache),
    lines: Vec<BatchLine>,
    lang: Lang,
) -> Result<Vec<LineResult>, AppError> {
    let mut results = Vec::with_capacity(lines.len());
    for BatchLine {
        line,
        form,
        problems,
    } in lines
    {
        let result = if problems.is_empty() {
            match run(pool, settings, cache, &form, lang).await {
                Ok(outcome) => Ok(outcome),
                Err(AppError::Fields(problems)) => Err(problems),
                Err(other) => return Err(other),
            }
        } else {
            Err(problems
                .into_iter()
                .map(|(field, msg)| (field, t(lang, msg).to_string()))
                .collect())
        };
        results.push(LineResult { line, form, result });
    }
    Ok(results)
}

/// An invoice file as uploaded: the name it came with and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Why an upload saved nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadError {
    /// The file cannot be read as an invoice: the code and detail the upload page explains.
    File { code: &'static str, detail: String },
    /// The organisation's daily quota of batch files is used up.
    Quota(Exceeded),
    /// The service failed.
    Failed(AppError),
}

impl UploadError {
    /// The upload was larger than the limit.
    pub fn too_large() -> UploadError {
        UploadError::File {
            code: "too_large",
            detail: String::new(),
        }
    }
}

/// Reads the uploaded invoice (`None`: the form held no file), checks every line and saves the
/// batch under `owner`, audited; returns the batch's reference. A file that cannot be read saves
/// nothing.
#[allow(clippy::too_many_arguments)]
pub async fn check_upload(
    pool: &PgPool,
    (settings, cache): (&BandSettings, &CheckCache),
    quotas: &Quotas,
    session: &Session,
    owner: Uuid,
    client_addr: &str,
    upload: Option<Upload>,
    lang: Lang,
) -> Result<String, UploadError> {
    let Some(Upload { file_name, bytes }) = upload.filter(|u| !u.bytes.is_empty()) else {
        return Err(UploadError::File {
            code: "no_file",
            detail: String::new(),
        });
    };
    // Each file counts against the organisation's day, read or not (reading is the cost).
    quota::take(pool, quotas, session.actor.org_id, Counted::Batches, 1)
        .await
        .map_err(|e| UploadError::Failed(e.into()))?
        .map_err(UploadError::Quota)?;
    let lines_in = read_bounded(bytes).await.map_err(|error| {
        let (code, detail) = error.code();
        UploadError::File { code, detail }
    })?;
    let started = std::time::Instant::now();
    let results = check_lines(pool, (settings, cache), lines_in, lang)
        .await
        .map_err(UploadError::Failed)?;
    let reference = crate::features::assessments::repo::new_reference();
    let subject = format!("{reference} ({} lines)", results.len());
    let event = AuditEvent::new("batch.check", client_addr)
        .actor(Some(session.actor.user_id))
        .acting_for(session.actor.acting_for)
        .subject(subject);
    let batch = NewBatch {
        reference: &reference,
        owner,
        created_by: session.actor.user_id,
        file_name: &file_name,
        results: &results,
    };
    repo::insert(pool, &batch, event)
        .await
        .map_err(|e| UploadError::Failed(AppError::from(e)))?;
    tracing::info!(
        lines = results.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "batch checked"
    );
    Ok(reference)
}

/// A saved batch of `owner`'s results as CSV in `lang`: its reference (to name the file) and
/// the file. Another owner's batch, or none, is not found.
pub async fn results_file(
    pool: &PgPool,
    owner: Uuid,
    reference: &str,
    lang: Lang,
) -> Result<(String, Vec<u8>), AppError> {
    let reference = crate::domain::readable_ref::parse(reference).ok_or(AppError::NotFound)?;
    let Some((id, _)) = repo::find(pool, owner, &reference).await? else {
        return Err(AppError::NotFound);
    };
    let lines = repo::lines(pool, id, 0, i64::MAX).await?;
    let body = results_csv(&lines, lang).map_err(AppError::internal)?;
    Ok((reference, body))
}

/// Why the checks API answered no results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiCheckError {
    /// The body holds no lines to check.
    Body(BodyError),
    /// The organisation's daily quota of lines would be passed.
    Quota(Exceeded),
    /// The service failed.
    Failed(AppError),
}

/// The checks API: the body's lines through the check, each answered as JSON in `lang`, in order,
/// for `org`, whose daily quota of lines they count against.
pub async fn check_api_body(
    pool: &PgPool,
    (settings, quotas, meter, cache): (&BandSettings, &Quotas, &ApiLineMeter, &CheckCache),
    org: Uuid,
    body: &[u8],
    lang: Lang,
) -> Result<Vec<Value>, ApiCheckError> {
    let lines = read_api_body(body).map_err(ApiCheckError::Body)?;
    let count = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    meter
        .take(pool, quotas, org, count)
        .await
        .map_err(|e| ApiCheckError::Failed(e.into()))?
        .map_err(ApiCheckError::Quota)?;
    let checked = check_lines(pool, (settings, cache), lines, lang)
        .await
        .map_err(ApiCheckError::Failed)?;
    Ok(checked
        .into_iter()
        .map(|line| api_result(line, lang))
        .collect())
}

// The checks API's JSON. A body is one line (the check's fields as an object) or many
// (`{"lines": [...]}`); its first key tells which. Strings and numbers are both accepted for the
// answers, `related` is a boolean and `reasons` a list of codes; any other key is refused. Past
// `MAX_LINES` the remaining lines are skipped unread and the overflow recorded, so a body of
// millions of tiny lines never becomes millions of answers.

/// The key of the many-lines shape.
const LINES: &str = "lines";

/// The keys a line may have: the check's fields, then its reasons.
static KEYS: [&str; FIELD_NAMES.len() + 1] = {
    let mut keys = [REASONS_COLUMN; FIELD_NAMES.len() + 1];
    let mut i = 0;
    while i < FIELD_NAMES.len() {
        keys[i] = FIELD_NAMES[i];
        i += 1;
    }
    keys
};

/// Why a body holds no lines to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// No lines, or more than [`MAX_LINES`].
    LineCount,
    /// Not JSON, or not the shape of a check; the parser's words.
    Invalid(String),
}

/// The lines of a checks API body, numbered from 1.
pub fn read_api_body(body: &[u8]) -> Result<Vec<BatchLine>, BodyError> {
    let Body { forms, overflow } =
        serde_json::from_slice(body).map_err(|e| BodyError::Invalid(e.to_string()))?;
    if overflow || forms.is_empty() {
        return Err(BodyError::LineCount);
    }
    Ok(forms
        .into_iter()
        .enumerate()
        .map(|(i, form)| BatchLine {
            line: i + 1,
            form,
            problems: Vec::new(),
        })
        .collect())
}

/// One line's answer in the checks API: the value, its place in the band and the calculation,
/// or the line's problems by field.
pub fn api_result(line_result: LineResult, lang: Lang) -> Value {
    let LineResult { line, result, .. } = line_result;
    match result {
        Ok(outcome) => {
            let v = &outcome.valuation;
            json!({
                "line": line,
                "customs_value": crate::domain::valuation::format_money(v.customs_value),
                "currency": outcome.base_currency,
                "unit_value": v.unit_value,
                "unit": v.band_unit,
                "level": outcome.position.level,
                "percentile": outcome.position.percentile,
                "verdict": t(lang, verdict_msg(outcome.position.level)),
                "rate": v.rate,
                "band": outcome.band,
                "evidence": outcome.evidence,
                "calculation": v.lines,
            })
        }
        Err(problems) => {
            let errors: Vec<Value> = problems
                .into_iter()
                .map(|(field, message)| json!({ "field": field, "message": message }))
                .collect();
            json!({ "line": line, "errors": errors })
        }
    }
}

/// A body's lines, and whether there were more than [`MAX_LINES`].
struct Body {
    forms: Vec<CheckForm>,
    overflow: bool,
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a check line, or {\"lines\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == LINES => {
                let Lines { forms, overflow } = map.next_value()?;
                if overflow {
                    // Refused for its size whatever else it holds.
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                } else if let Some(key) = map.next_key::<String>()? {
                    return Err(if key == LINES {
                        de::Error::duplicate_field(LINES)
                    } else {
                        de::Error::unknown_field(&key, &[LINES])
                    });
                }
                Ok(Body { forms, overflow })
            }
            first => {
                let mut line = LineFields::new();
                let mut key = first;
                while let Some(name) = key {
                    line.read(&name, &mut map)?;
                    key = map.next_key()?;
                }
                Ok(Body {
                    forms: vec![line.form],
                    overflow: false,
                })
            }
        }
    }
}

/// The many-lines list, read up to [`MAX_LINES`].
struct Lines {
    forms: Vec<CheckForm>,
    overflow: bool,
}

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(LinesVisitor)
    }
}

struct LinesVisitor;

impl<'de> Visitor<'de> for LinesVisitor {
    type Value = Lines;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of check lines")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lines, A::Error> {
        let mut forms = Vec::new();
        while forms.len() < MAX_LINES {
            match seq.next_element::<Line>()? {
                Some(Line(form)) => forms.push(form),
                None => {
                    return Ok(Lines {
                        forms,
                        overflow: false,
                    });
                }
            }
        }
        let mut overflow = false;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            overflow = true;
        }
        Ok(Lines { forms, overflow })
    }
}

/// One line of the many-lines list.
struct Line(CheckForm);

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(LineVisitor)
    }
}

struct LineVisitor;

impl<'de> Visitor<'de> for LineVisitor {
    type Value = Line;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the fields of a check line")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
        let mut line = LineFields::new();
        while let Some(key) = map.next_key::<String>()? {
            line.read(&key, &mut map)?;
        }
        Ok(Line(line.form))
    }
}

/// A line's answers as its keys arrive.
struct LineFields {
    form: CheckForm,
    seen: [bool; KEYS.len()],
}

impl LineFields {
    /// Not related unless the line says so.
    fn new() -> LineFields {
        LineFields {
            form: CheckForm {
                related: "no".into(),
                ..CheckForm::default()
            },
            seen: [false; KEYS.len()],
        }
    }

    /// Reads the value of `key`, the next in `map`.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let Some(index) = KEYS.iter().position(|k| *k == key) else {
            return Err(de::Error::unknown_field(key, &KEYS));
        };
        let name = KEYS[index];
        if std::mem::replace(&mut self.seen[index], true) {
            return Err(de::Error::duplicate_field(name));
        }
        if name == REASONS_COLUMN {
            self.form.reasons = map.next_value::<Vec<String>>()?.join(",");
        } else if field(name).is_some_and(|f| f.kind == FieldKind::YesNo) {
            let yes: bool = map.next_value()?;
            self.form.set(name, if yes { "yes" } else { "no" }.into());
        } else {
            self.form.set(name, map.next_value::<Text>()?.0);
        }
        Ok(())
    }
}

/// An answer sent as a JSON string or number (null is no answer).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Null => String::new(),
            other => other.to_string(),
        }))
    }
}

/// How long reading one uploaded file may take, waiting for its turn included.
const READ_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Reading a workbook is CPU work that a crafted file can make long, so it runs on the blocking
/// pool, as many at once as there are cores, and is given up after [`READ_TIME`] (the thread
/// finishes on its own; its turn is held until then, so a flood of slow files queues instead of
/// taking every core).
async fn read_bounded<B>(bytes: B) -> Result<Vec<BatchLine>, FileError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    static READERS: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::OnceLock::new();
    let readers = READERS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });
    let deadline = tokio::time::Instant::now() + READ_TIME;
    let turn = tokio::time::timeout_at(deadline, readers.clone().acquire_owned())
        .await
        .map_err(|_| FileError::TooSlow)?
        .map_err(|_| FileError::TooSlow)?;
    let reading = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        read(bytes.as_ref())
    });
    match tokio::time::timeout_at(deadline, reading).await {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => Err(FileError::Unreadable { line: None }),
        Err(_) => Err(FileError::TooSlow),
    }
}

/// Most columns a file may have (the check has 19 questions; room for a few empty ones).
const MAX_COLUMNS: usize = 64;

/// Reads an uploaded invoice (CSV or XLSX, told apart by content, not by name) into check
/// answers line by line. Problems with the file as a whole refuse it; problems with one line
/// stay with that line.
pub fn read(bytes: &[u8]) -> Result<Vec<BatchLine>, FileError> {
    let limits = Limits {
        rows: MAX_LINES,
        columns: MAX_COLUMNS,
        unpacked_bytes: 256 * 1024 * 1024,
        code_columns: &["hs"],
    };
    let table = read_table(bytes, &limits).map_err(|e| match e {
        SheetError::NotATable => FileError::NotATable,
        SheetError::Unreadable { line } => FileError::Unreadable { line },
        SheetError::Empty => FileError::Empty,
        SheetError::TooWide(cell) => FileError::UnknownColumn(cell),
        SheetError::TooManyRows(n) => FileError::TooManyLines(n),
    })?;
    lines(table)
}

fn lines(table: Table) -> Result<Vec<BatchLine>, FileError> {
    let columns: Vec<String> = table
        .header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for (i, name) in columns.iter().enumerate() {
        if field(name).is_none() && name != REASONS_COLUMN {
            return Err(FileError::UnknownColumn(table.header[i].trim().to_string()));
        }
        if columns[..i].contains(name) {
            return Err(FileError::DuplicateColumn(name.clone()));
        }
    }
    if let Some(missing) = REQUIRED_FIELDS
        .iter()
        .find(|r| !columns.iter().any(|c| c == *r))
    {
        return Err(FileError::MissingColumn(missing.to_string()));
    }
    if table.rows.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(table
        .rows
        .into_iter()
        .map(|(line, cells)| answers(line, &columns, cells))
        .collect())
}

fn answers(line: usize, columns: &[String], cells: Vec<String>) -> BatchLine {
    let mut form = CheckForm {
        related: "no".into(),
        ..CheckForm::default()
    };
    let mut problems = Vec::new();
    if cells.len() != columns.len() {
        problems.push(("line".to_string(), Msg::ErrorFieldCount));
    }
    for (name, value) in columns.iter().zip(cells) {
        let value = value.trim().to_string();
        if field(name).is_some_and(|f| f.kind == FieldKind::YesNo) {
            match value.to_lowercase().as_str() {
                "" | "no" | "n" | "false" | "0" => form.set(name, "no".into()),
                "yes" | "y" | "true" | "1" | "si" | "sí" | "s" => form.set(name, "yes".into()),
                _ => problems.push((name.clone(), Msg::ErrorRelatedValue)),
            }
        } else if name == REASONS_COLUMN {
            let codes: Vec<&str> = value
                .split([';', '|', ' ', ','])
                .filter(|c| !c.is_empty())
                .collect();
            if codes.iter().any(|c| Reason::parse(c).is_none()) {
                problems.push((name.clone(), Msg::ErrorReasonCode));
            }
            form.reasons = codes.join(",");
        } else {
            form.set(name, value);
        }
    }
    BatchLine {
        line,
        form,
        problems,
    }
}

const RESULT_COLUMNS: [&str; 17] = [
    "customs_value",
    "base_currency",
    "unit_value",
    "band_unit",
    "level",
    "percentile",
    "band_code",
    "band_p10",
    "band_p25",
    "band_median",
    "band_p75",
    "band_p90",
    "band_effective_from",
    "rate",
    "rate_date",
    "verdict",
    "errors",
];

/// A decimal without trailing zeros: `1.5` whether the file said `1.50` or `1.5`.
fn plain(value: rust_decimal::Decimal) -> String {
    value.normalize().to_string()
}

/// The results of a batch as CSV: the answers of each line, then what the check found (or the
/// line's errors). Column names are fixed codes for other systems; the verdict and the errors
/// are in the reader's language.
pub fn results_csv(lines: &[StoredLine], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = std::iter::once("line")
        .chain(FIELD_NAMES)
        .chain(std::iter::once(REASONS_COLUMN))
        .chain(RESULT_COLUMNS)
        .collect();
    writer.write_record(&header)?;
    for l in lines {
        let mut record: Vec<String> = vec![l.line.to_string()];
        record.extend(FIELD_NAMES.iter().map(|n| inert(l.answers.get(n))));
        record.push(inert(&l.answers.reasons.replace(',', ";")));
        match &l.outcome {
            Some(o) => {
                let v = &o.valuation;
                let band = o.band.as_ref();
                let band_figure = |f: fn(&crate::features::bands::PublishedBand) -> String| {
                    band.map(f).unwrap_or_default()
                };
                record.extend([
                    format_money(v.customs_value),
                    o.base_currency.clone(),
                    plain(v.unit_value),
                    v.band_unit.clone(),
                    o.position.level.code().to_string(),
                    o.position.percentile.map(plain).unwrap_or_default(),
                    band_figure(|b| b.tariff_code.clone()),
                    band_figure(|b| plain(b.p10)),
                    band_figure(|b| plain(b.p25)),
                    band_figure(|b| plain(b.median)),
                    band_figure(|b| plain(b.p75)),
                    band_figure(|b| plain(b.p90)),
                    band_figure(|b| b.effective_from.to_string()),
                    plain(v.rate.units_per_base),
                    v.rate.date.to_string(),
                    t(lang, verdict_msg(o.position.level)).to_string(),
                    String::new(),
                ]);
            }
            None => {
                record.extend(std::iter::repeat_n(String::new(), RESULT_COLUMNS.len() - 1));
                let errors: Vec<String> = l
                    .errors
                    .iter()
                    .map(|(field, message)| format!("{field}: {message}"))
                    .collect();
                record.push(errors.join("; "));
            }
        }
        writer.write_record(&record)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(body: &str) -> Result<Vec<CheckForm>, BodyError> {
        read_api_body(body.as_bytes()).map(|lines| lines.into_iter().map(|l| l.form).collect())
    }

    #[test]
    fn one_line_takes_strings_numbers_a_boolean_and_reasons() {
        let [form] = &forms(
            r#"{"hs": "0703.20", "quantity": 1.5, "price": 10, "related": true,
                "reasons": ["discount", "quantity"], "freight": null}"#,
        )
        .unwrap()[..] else {
            panic!("one line")
        };
        assert_eq!(form.hs, "0703.20");
        assert_eq!(form.quantity, "1.5");
        assert_eq!(form.price, "10");
        assert_eq!(form.related, "yes");
        assert_eq!(form.reasons, "discount,quantity");
        assert_eq!(form.freight, "");
    }

    #[test]
    fn an_empty_object_is_one_unanswered_line() {
        assert_eq!(
            forms("{}").unwrap(),
            vec![CheckForm {
                related: "no".into(),
                ..CheckForm::default()
            }]
        );
    }

    #[test]
    fn many_lines_are_numbered_in_order() {
        let lines = read_api_body(br#"{"lines": [{"hs": "01"}, {"hs": "02"}]}"#).unwrap();
        let numbered: Vec<(usize, &str)> =
            lines.iter().map(|l| (l.line, l.form.hs.as_str())).collect();
        assert_eq!(numbered, vec![(1, "01"), (2, "02")]);
    }

    #[test]
    fn unknown_and_repeated_keys_are_refused() {
        for body in [
            r#"{"hs": 1, "surprise": true}"#,
            r#"{"hs": 1, "hs": 2}"#,
            r#"{"lines": [{"colour": "red"}]}"#,
            r#"{"lines": [], "hs": 1}"#,
            r#"{"hs": 1, "lines": []}"#,
            r#"{"related": "yes"}"#,
            r#"[]"#,
            "not json",
        ] {
            assert!(matches!(forms(body), Err(BodyError::Invalid(_))), "{body}");
        }
    }

    #[test]
    fn no_lines_or_too_many_is_a_line_count_problem() {
        assert_eq!(forms(r#"{"lines": []}"#), Err(BodyError::LineCount));
        let at_most = format!(r#"{{"lines": [{}]}}"#, vec!["{}"; MAX_LINES].join(","));
        assert_eq!(forms(&at_most).map(|f| f.len()), Ok(MAX_LINES));
        let too_many = format!(r#"{{"lines": [{}]}}"#, vec!["{}"; MAX_LINES + 1].join(","));
        assert_eq!(forms(&too_many), Err(BodyError::LineCount));
        let too_many_and_more = format!(
            r#"{{"lines": [{}], "x": 1}}"#,
            vec!["{}"; MAX_LINES + 5].join(",")
        );
        assert_eq!(forms(&too_many_and_more), Err(BodyError::LineCount));
    }

    const HEADER: &str =
        "hs,origin,incoterm,date,quantity,unit,currency,price,freight,insurance,related,reasons";

    #[test]
    fn a_csv_line_becomes_the_answers_of_a_check() {
        let file = format!(
            "{HEADER}\n090111,BR,FOB,2026-03-02,1000,KGM,USD,4500.50,300,20,no,discount;quantity\n"
        );
        let lines = read(file.as_bytes()).unwrap();
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert_eq!(l.line, 2);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.form.hs, "090111");
        assert_eq!(l.form.price, "4500.50");
        assert_eq!(l.form.reasons, "discount,quantity");
        assert_eq!(l.form.related, "no");
    }

    #[test]
    fn semicolon_files_and_a_byte_order_mark_are_read() {
        let file = format!(
            "\u{feff}{}\n090111;BR;FOB;2026-03-02;1000;KGM;USD;4500,50;;;sí;\n",
            HEADER.replace(',', ";")
        );
        let lines = read(file.as_bytes()).unwrap();
        assert_eq!(lines[0].form.price, "4500,50");
        assert_eq!(lines[0].form.related, "yes");
    }

    #[test]
    fn line_numbers_count_from_the_header_and_skip_blank_lines() {
        let file = format!(
            "{HEADER}\n090111,BR,FOB,2026-03-02,1,KGM,USD,1,,,,\n\n,,,,,,,,,,,\n90111,BR,FOB,2026-03-02,1,KGM,USD,1,,,maybe,cheap\n090111,BR\n"
        );
        let lines = read(file.as_bytes()).unwrap();
        let numbers: Vec<usize> = lines.iter().map(|l| l.line).collect();
        assert_eq!(numbers, vec![2, 5, 6]);
        assert_eq!(lines[1].form.hs, "90111", "typed text is taken as typed");
        assert_eq!(
            lines[1].problems,
            vec![
                ("related".to_string(), Msg::ErrorRelatedValue),
                ("reasons".to_string(), Msg::ErrorReasonCode)
            ]
        );
        assert_eq!(
            lines[2].problems,
            vec![("line".to_string(), Msg::ErrorFieldCount)]
        );
    }

    #[test]
    fn old_mac_line_endings_and_overlong_lines_are_read() {
        let file = format!(
            "{HEADER}\r090111,BR,FOB,2026-03-02,1,KGM,USD,1,,,,\r090111,BR,FOB,2026-03-02,1,KGM,USD,1,,,,{}\r",
            ",x".repeat(5000)
        );
        let lines = read(file.as_bytes()).unwrap();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 3]);
        assert!(lines[0].problems.is_empty());
        assert_eq!(
            lines[1].problems,
            vec![("line".to_string(), Msg::ErrorFieldCount)]
        );
    }

    #[test]
    fn files_that_are_not_invoices_are_refused_whole() {
        assert_eq!(read(b""), Err(FileError::Empty));
        assert_eq!(
            read(format!("{HEADER}\n").as_bytes()),
            Err(FileError::Empty)
        );
        assert_eq!(
            read(b"hs,origin,incoterm,date,quantity,unit,currency\n1,2,3,4,5,6,7\n"),
            Err(FileError::MissingColumn("price".into()))
        );
        assert_eq!(
            read(format!("{HEADER},colour\n").as_bytes()),
            Err(FileError::UnknownColumn("colour".into()))
        );
        assert_eq!(
            read(format!("{HEADER},hs\n").as_bytes()),
            Err(FileError::DuplicateColumn("hs".into()))
        );
        assert_eq!(read(b"%PDF-1.7\n%\xe2\xe3"), Err(FileError::NotATable));
        let mut latin1 = format!("{HEADER}\n").into_bytes();
        latin1.extend_from_slice(b"090111,BR,FOB,2026-03-02,1,KGM,USD,1,,,no,caf\xe9\n");
        assert_eq!(read(&latin1), Err(FileError::Unreadable { line: Some(2) }));
        assert_eq!(
            read(b"PK\x03\x04\x14\x00\x00\x00\x08\x00broken"),
            Err(FileError::NotATable)
        );
    }

    #[test]
    fn more_than_ten_thousand_lines_are_refused() {
        let mut file = format!("{HEADER}\n");
        for _ in 0..=MAX_LINES {
            file.push_str("090111,BR,FOB,2026-03-02,1,KGM,USD,1,,,,\n");
        }
        assert_eq!(
            read(file.as_bytes()),
            Err(FileError::TooManyLines(MAX_LINES + 1))
        );
    }
}
