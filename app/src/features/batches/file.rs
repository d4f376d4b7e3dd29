//! An uploaded invoice, CSV or XLSX, read into check answers line by line. Both formats become
//! the same table (header row, then numbered rows of text) before any answer is read, so the
//! same lines give the same answers whichever format carried them. Problems with the file as a
//! whole refuse it; problems with one line stay with that line.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::domain::evidence::Reason;
use crate::features::check::CheckForm;
use crate::i18n::Msg;

use super::{
    MAX_LINES, OPTIONAL as OPTIONAL_COLUMNS, REASONS_COLUMN, REQUIRED as REQUIRED_COLUMNS,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Neither CSV text nor an XLSX workbook (a PDF, an image, an old .xls...).
    NotATable,
    /// Not UTF-8 text, or a damaged workbook; `line` where known.
    Unreadable {
        line: Option<usize>,
    },
    /// No header, or a header and no lines.
    Empty,
    MissingColumn(String),
    UnknownColumn(String),
    DuplicateColumn(String),
    TooManyLines(usize),
}

impl FileError {
    /// The code and its detail, for the address the upload page is sent back to.
    pub fn code(&self) -> (&'static str, String) {
        match self {
            FileError::NotATable => ("not_a_table", String::new()),
            FileError::Unreadable { line } => (
                "unreadable",
                line.map(|l| l.to_string()).unwrap_or_default(),
            ),
            FileError::Empty => ("empty", String::new()),
            FileError::MissingColumn(c) => ("missing_column", c.clone()),
            FileError::UnknownColumn(c) => ("unknown_column", c.clone()),
            FileError::DuplicateColumn(c) => ("duplicate_column", c.clone()),
            FileError::TooManyLines(n) => ("too_many_lines", n.to_string()),
        }
    }
}

/// One line of the file: its number as a spreadsheet or editor shows it, the answers, and the
/// problems found before the check runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: usize,
    pub form: CheckForm,
    pub problems: Vec<(String, Msg)>,
}

struct Table {
    header: Vec<String>,
    /// (line number, cells as text).
    rows: Vec<(usize, Vec<String>)>,
}

/// Most columns a file may have (the check has 19 questions; room for a few empty ones).
const MAX_COLUMNS: usize = 64;
/// Most bytes a workbook may unpack to: an 8 MB upload could otherwise expand to gigabytes.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Reads the file (CSV or XLSX, told apart by content, not by name).
pub fn read(bytes: &[u8]) -> Result<Vec<BatchLine>, FileError> {
    let table = match infer::get(bytes).map(|kind| kind.mime_type()) {
        Some(XLSX_MIME) => xlsx(bytes)?,
        // Some writers order a workbook's parts so that sniffing sees only a zip.
        Some("application/zip") => xlsx(bytes).map_err(|_| FileError::NotATable)?,
        Some(_) => return Err(FileError::NotATable),
        None => csv(bytes)?,
    };
    lines(table)
}

/// Counts the lines that are not blank, refusing the file once there are too many (so a huge
/// file is never held whole in memory as cells).
fn keep_row(
    rows: &mut Vec<(usize, Vec<String>)>,
    line: usize,
    cells: Vec<String>,
) -> Result<(), FileError> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if rows.len() == MAX_LINES {
        return Err(FileError::TooManyLines(MAX_LINES + 1));
    }
    rows.push((line, cells));
    Ok(())
}

fn csv(bytes: &[u8]) -> Result<Table, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|e| FileError::Unreadable {
        line: Some(
            bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
        ),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(FileError::NotATable);
    }
    // Old Mac files end lines with CR alone; the reader numbers lines by LF.
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    // Spreadsheets in Spanish locales save CSV with semicolons (the comma is the decimal mark).
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(FileError::Unreadable {
                    line: e.position().map(|p| p.line() as usize),
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        // One cell more than the header is enough to tell the line is malformed.
        let width = header.as_ref().map_or(MAX_COLUMNS, |h| h.len() + 1);
        let cells: Vec<String> = record.iter().take(width).map(str::to_string).collect();
        match header {
            None if cells.len() > MAX_COLUMNS - 1 => {
                return Err(FileError::UnknownColumn(cells[MAX_COLUMNS - 1].clone()));
            }
            None => header = Some(cells),
            Some(_) => keep_row(&mut rows, line, cells)?,
        }
    }
    Ok(Table {
        header: header.ok_or(FileError::Empty)?,
        rows,
    })
}

/// Sums what the workbook's parts unpack to, from the zip directory (nothing is unpacked).
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        total = total.checked_add(archive.by_index_raw(i).ok()?.size())?;
    }
    Some(total)
}

/// Reads the first sheet cell by cell: only cells within the first columns are kept, and rows
/// are counted as they come, so a sheet with a stray cell at row 1,048,576 or column XFD costs
/// nothing (reading it as one grid would allocate every cell in between).
fn xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    let unreadable = |_| FileError::Unreadable { line: None };
    if unpacked_size(bytes).is_none_or(|size| size > MAX_UNPACKED_BYTES) {
        return Err(FileError::Unreadable { line: None });
    }
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    // Cells come row by row; a row is complete when the next one starts.
    let mut grid: Vec<(usize, Vec<String>)> = Vec::new();
    let mut numbers: std::collections::HashSet<(usize, usize)> = Default::default();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize + 1, col as usize);
        if col >= MAX_COLUMNS {
            continue;
        }
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        if grid.last().is_none_or(|(r, _)| *r != row) {
            if grid.len() > MAX_LINES + 1 {
                return Err(FileError::TooManyLines(MAX_LINES + 1));
            }
            grid.push((row, Vec::new()));
        }
        let (_, row_cells) = grid.last_mut().expect("pushed above");
        if row_cells.len() <= col {
            row_cells.resize(col + 1, String::new());
        }
        if matches!(value, Data::Float(_) | Data::Int(_)) {
            numbers.insert((row, col));
        }
        row_cells[col] = cell_text(&value);
    }
    let mut rows = grid.into_iter();
    let (_, header) = rows.next().ok_or(FileError::Empty)?;
    let width = header.len();
    let hs_column = header
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("hs"));
    let mut kept = Vec::new();
    for (row, mut cells) in rows {
        cells.resize(width.max(cells.len()), String::new());
        if let Some(col) = hs_column.filter(|c| numbers.contains(&(row, *c))) {
            cells[col] = tariff_code_from_number(&cells[col]);
        }
        keep_row(&mut kept, row, cells)?;
    }
    Ok(Table { header, rows: kept })
}

/// A cell as the text a CSV would hold. Numbers in a workbook are binary floating point; a
/// spreadsheet shows them to 15 significant digits, so that is the text (`12.34`, and `3.3` for
/// a formula's `3.3000000000000003`), parsed as a decimal afterwards like any CSV cell.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(_) => "#ERROR".to_string(),
    }
}

fn float_text(f: f64) -> String {
    rust_decimal::Decimal::from_f64_retain(f)
        .and_then(|d| d.round_sf(15))
        .map(|d| d.normalize().to_string())
        .unwrap_or_else(|| f.to_string())
}

fn lines(table: Table) -> Result<Vec<BatchLine>, FileError> {
    let columns: Vec<String> = table
        .header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for (i, name) in columns.iter().enumerate() {
        if !REQUIRED_COLUMNS.contains(&name.as_str())
            && !OPTIONAL_COLUMNS.contains(&name.as_str())
            && name != REASONS_COLUMN
        {
            return Err(FileError::UnknownColumn(table.header[i].trim().to_string()));
        }
        if columns[..i].contains(name) {
            return Err(FileError::DuplicateColumn(name.clone()));
        }
    }
    if let Some(missing) = REQUIRED_COLUMNS
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
        match name.as_str() {
            "hs" => form.hs = value,
            "related" => match value.to_lowercase().as_str() {
                "" | "no" | "n" | "false" | "0" => form.related = "no".into(),
                "yes" | "y" | "true" | "1" | "si" | "sí" | "s" => form.related = "yes".into(),
                _ => problems.push((name.clone(), Msg::ErrorRelatedValue)),
            },
            "reasons" => {
                let codes: Vec<&str> = value
                    .split([';', '|', ' ', ','])
                    .filter(|c| !c.is_empty())
                    .collect();
                if codes.iter().any(|c| Reason::parse(c).is_none()) {
                    problems.push((name.clone(), Msg::ErrorReasonCode));
                }
                form.reasons = codes.join(",");
            }
            other => form.set(other, value),
        }
    }
    BatchLine {
        line,
        form,
        problems,
    }
}

/// A tariff code stored as a number loses its leading zero (`090111` becomes `90111`); codes
/// have an even number of digits (6, 8 or 10), so an odd count of digits gets it back. Only for
/// workbook numbers: typed text is taken as typed.
fn tariff_code_from_number(value: &str) -> String {
    if value.len() % 2 == 1 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn workbook_numbers_read_as_the_decimal_shown() {
        assert_eq!(cell_text(&Data::Float(12.34)), "12.34");
        assert_eq!(cell_text(&Data::Float(4500.0)), "4500");
        assert_eq!(cell_text(&Data::Float(1e-7)), "0.0000001");
        assert_eq!(cell_text(&Data::Float(1.1 * 3.0)), "3.3");
        assert_eq!(tariff_code_from_number("90111"), "090111");
        assert_eq!(tariff_code_from_number("0901110000"), "0901110000");
    }
}
