//! Reading the project's CSV import files: an exact header, then records with a fixed number of
//! fields. Lines are numbered as a text editor shows them (the header is line 1); a quoted field
//! may span lines, and a record carries the number of its first line.

use std::io::Read;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

impl LineError {
    pub fn new(line: u64, message: impl Into<String>) -> Self {
        LineError {
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parsed rows of a small reference file, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub errors: Vec<LineError>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            rows: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// The records of a CSV file after its header was checked.
pub struct Rows<R: Read> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    width: usize,
}

/// Opens `input` and checks that its header is exactly `header` (spaces around names ignored).
pub fn open<R: Read>(input: R, header: &[&str]) -> Result<Rows<R>, LineError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    match reader.headers() {
        Ok(found) if found.iter().map(str::trim).eq(header.iter().copied()) => Ok(Rows {
            reader,
            record: csv::StringRecord::new(),
            width: header.len(),
        }),
        Ok(found) => Err(LineError::new(
            1,
            format!(
                "expected the columns {} but found {}",
                header.join(","),
                found.iter().collect::<Vec<_>>().join(",")
            ),
        )),
        Err(e) => Err(LineError::new(1, format!("unreadable header: {e}"))),
    }
}

impl<R: Read> Rows<R> {
    /// The next record with its line number, or the line's problem (a wrong number of fields,
    /// broken quoting, bytes that are not UTF-8). `None` at the end of the file.
    pub fn next_record(&mut self) -> Option<Result<(u64, &csv::StringRecord), LineError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                if self.record.len() != self.width {
                    return Some(Err(LineError::new(
                        line,
                        format!(
                            "expected {} fields, found {}",
                            self.width,
                            self.record.len()
                        ),
                    )));
                }
                Some(Ok((line, &self.record)))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                Some(Err(LineError::new(line, format!("not valid CSV: {e}"))))
            }
        }
    }
}

/// Parses a whole small file with `row`, which turns one record into a value or a message.
pub fn parse_all<T, R: Read>(
    input: R,
    header: &[&str],
    mut row: impl FnMut(&csv::StringRecord) -> Result<T, String>,
) -> Parsed<T> {
    let mut parsed = Parsed::default();
    let mut rows = match open(input, header) {
        Ok(rows) => rows,
        Err(e) => {
            parsed.errors.push(e);
            return parsed;
        }
    };
    while let Some(next) = rows.next_record() {
        match next {
            Ok((line, record)) => match row(record) {
                Ok(value) => parsed.rows.push(value),
                Err(message) => parsed.errors.push(LineError::new(line, message)),
            },
            Err(e) => parsed.errors.push(e),
        }
    }
    parsed
}

/// The trimmed field `i` of a record whose width was checked.
pub fn field(record: &csv::StringRecord, i: usize) -> &str {
    record.get(i).unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_like_an_editor_and_reports_short_records() {
        let input = "a,b\n1,2\n\"x\ny\",3\n4\n5,6";
        let parsed = parse_all(input.as_bytes(), &["a", "b"], |r| {
            Ok(field(r, 0).to_string())
        });
        assert_eq!(parsed.rows, vec!["1", "x\ny", "5"]);
        assert_eq!(
            parsed.errors,
            vec![LineError::new(5, "expected 2 fields, found 1")]
        );
    }

    #[test]
    fn a_wrong_header_is_line_one() {
        let parsed = parse_all("x,y\n1,2\n".as_bytes(), &["a", "b"], |_| Ok(()));
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 1);
        assert!(parsed.rows.is_empty());
    }
}
