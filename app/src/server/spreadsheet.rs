//! Uploaded tables, CSV or XLSX, read into the same shape (a header row, then numbered rows of
//! text) within limits, and text made safe to write into a CSV. Whatever the format, the same
//! cells come out, so a feature reads its columns once.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// What a file may hold before it is refused.
pub struct Limits {
    /// Rows besides the header (blank rows are not counted).
    pub rows: usize,
    /// Columns read; a header wider than this is refused.
    pub columns: usize,
    /// Bytes a workbook may unpack to: a small upload could otherwise expand to gigabytes.
    pub unpacked_bytes: u64,
    /// Columns (by header) whose workbook numbers are codes that may have lost a leading zero.
    pub code_columns: &'static [&'static str],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetError {
    /// Neither CSV text nor an XLSX workbook (a PDF, an image, an old .xls...).
    NotATable,
    /// Not UTF-8 text, or a damaged or oversized workbook; `line` where known.
    Unreadable { line: Option<usize> },
    /// No header row.
    Empty,
    /// A header wider than the limit; the first cell past it.
    TooWide(String),
    /// More rows than the limit (the count reached when reading stopped).
    TooManyRows(usize),
}

pub struct Table {
    /// The first row's cells.
    pub header: Vec<String>,
    /// (line number, cells as text).
    pub rows: Vec<(usize, Vec<String>)>,
}

const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Reads the file (CSV or XLSX, told apart by content, not by name).
pub fn read_table(bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    match infer::get(bytes).map(|kind| kind.mime_type()) {
        Some(XLSX_MIME) => xlsx(bytes, limits),
        // Some writers order a workbook's parts so that sniffing sees only a zip.
        Some("application/zip") => xlsx(bytes, limits).map_err(|_| SheetError::NotATable),
        Some(_) => Err(SheetError::NotATable),
        None => csv(bytes, limits),
    }
}

/// Counts the lines that are not blank, refusing the file once there are too many (so a huge
/// file is never held whole in memory as cells).
fn keep_row(
    rows: &mut Vec<(usize, Vec<String>)>,
    line: usize,
    cells: Vec<String>,
    limits: &Limits,
) -> Result<(), SheetError> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if rows.len() == limits.rows {
        return Err(SheetError::TooManyRows(limits.rows + 1));
    }
    rows.push((line, cells));
    Ok(())
}

fn csv(bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SheetError::Unreadable {
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
        return Err(SheetError::NotATable);
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
                return Err(SheetError::Unreadable {
                    line: e.position().map(|p| p.line() as usize),
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        // One cell more than the header is enough to tell the line is malformed.
        let width = header.as_ref().map_or(limits.columns, |h| h.len() + 1);
        let cells: Vec<String> = record.iter().take(width).map(str::to_string).collect();
        match header {
            None if cells.len() > limits.columns - 1 => {
                return Err(SheetError::TooWide(cells[limits.columns - 1].clone()));
            }
            None => header = Some(cells),
            Some(_) => keep_row(&mut rows, line, cells, limits)?,
        }
    }
    Ok(Table {
        header: header.ok_or(SheetError::Empty)?,
        rows,
    })
}

/// Whether the workbook's parts unpack to at most `limit` bytes in all, counted while
/// decompressing: the sizes a zip declares are the uploader's to forge, so each part is inflated
/// (into nothing) and stops as soon as the running total passes the limit.
fn unpacks_within(bytes: &[u8], limit: u64) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let mut left = limit;
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index(i) else {
            return false;
        };
        // One byte past what is left tells "too large" from "exactly the limit".
        let mut capped = std::io::Read::take(part, left.saturating_add(1));
        match std::io::copy(&mut capped, &mut std::io::sink()) {
            Ok(read) if read <= left => left -= read,
            _ => return false,
        }
    }
    true
}

/// Reads the first sheet cell by cell: only cells within the first columns are kept, and rows
/// are counted as they come, so a sheet with a stray cell at row 1,048,576 or column XFD costs
/// nothing (reading it as one grid would allocate every cell in between).
fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    let unreadable = |_| SheetError::Unreadable { line: None };
    if !unpacks_within(bytes, limits.unpacked_bytes) {
        return Err(SheetError::Unreadable { line: None });
    }
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(SheetError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    // Cells come row by row; a row is complete when the next one starts.
    let mut grid: Vec<(usize, Vec<String>)> = Vec::new();
    let mut numbers: std::collections::HashSet<(usize, usize)> = Default::default();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize + 1, col as usize);
        if col >= limits.columns {
            continue;
        }
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        if grid.last().is_none_or(|(r, _)| *r != row) {
            if grid.len() > limits.rows + 1 {
                return Err(SheetError::TooManyRows(limits.rows + 1));
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
    let (_, header) = rows.next().ok_or(SheetError::Empty)?;
    let width = header.len();
    let code_columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            limits
                .code_columns
                .iter()
                .any(|c| h.trim().eq_ignore_ascii_case(c))
        })
        .map(|(i, _)| i)
        .collect();
    let mut kept = Vec::new();
    for (row, mut cells) in rows {
        cells.resize(width.max(cells.len()), String::new());
        for &col in code_columns
            .iter()
            .filter(|c| numbers.contains(&(row, **c)))
        {
            cells[col] = code_from_number(&cells[col]);
        }
        keep_row(&mut kept, row, cells, limits)?;
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

/// A tariff code stored as a number loses its leading zero (`090111` becomes `90111`); codes
/// have an even number of digits (6, 8 or 10), so an odd count of digits gets it back. Only for
/// workbook numbers: typed text is taken as typed.
pub fn code_from_number(value: &str) -> String {
    if value.len() % 2 == 1 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{value}")
    } else {
        value.to_string()
    }
}

/// An uploaded answer as a cell a spreadsheet will not run: text that would start a formula
/// gets a leading apostrophe (the OWASP advice for CSV injection).
pub fn inert(answer: &str) -> String {
    if answer.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{answer}")
    } else {
        answer.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of one deflated part holding `size` zero bytes.
    fn zeros_zip(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer
            .start_file("xl/worksheets/sheet1.xml", options)
            .unwrap();
        writer.write_all(&vec![0u8; size]).unwrap();
        writer.finish().unwrap().into_inner()
    }

    /// Rewrites the uncompressed size every header declares (local at +22, central at +24).
    fn declare_size(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
        for (signature, offset) in [(0x04034b50u32, 22), (0x02014b50u32, 24)] {
            let at = (0..bytes.len() - 4)
                .find(|&i| bytes[i..i + 4] == signature.to_le_bytes())
                .unwrap();
            bytes[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn what_a_workbook_unpacks_to_is_counted_while_inflating_not_read_from_its_directory() {
        let two_mib = zeros_zip(2 << 20);
        assert!(two_mib.len() < 64 * 1024, "it compresses well");
        assert!(!unpacks_within(&two_mib, 1 << 20));
        assert!(unpacks_within(&two_mib, 2 << 20), "exactly the limit");
        let forged = declare_size(two_mib, 100);
        assert!(
            !unpacks_within(&forged, 1 << 20),
            "a part that claims 100 bytes is refused all the same"
        );
        assert!(!unpacks_within(b"not a zip", 1 << 20));
    }

    #[test]
    fn workbook_numbers_read_as_the_decimal_shown() {
        assert_eq!(cell_text(&Data::Float(12.34)), "12.34");
        assert_eq!(cell_text(&Data::Float(4500.0)), "4500");
        assert_eq!(cell_text(&Data::Float(1e-7)), "0.0000001");
        assert_eq!(cell_text(&Data::Float(1.1 * 3.0)), "3.3");
        assert_eq!(code_from_number("90111"), "090111");
        assert_eq!(code_from_number("0901110000"), "0901110000");
    }

    #[test]
    fn answers_that_look_like_formulas_are_made_inert() {
        assert_eq!(
            inert("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(inert("-3"), "'-3");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("0703.20"), "0703.20");
    }
}
