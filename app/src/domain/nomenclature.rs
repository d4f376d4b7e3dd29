//! The tariff nomenclature file (the HS 2022 CSV format: `section,hscode,description,parent,level`),
//! parsed and checked line by line. Lines are numbered as a text editor shows them (the header is
//! line 1); a quoted description may span lines, and the number is that of its first line.

use std::collections::HashSet;

/// One tariff line: a 2, 4 or 6-digit HS code (or a national subdivision of 8 or 10 digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffLine {
    /// Where the line starts in the file.
    pub line: u64,
    pub code: String,
    pub parent: Option<String>,
    pub section: String,
    pub description: String,
}

pub use super::csv_rows::LineError;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub lines: Vec<TariffLine>,
    pub errors: Vec<LineError>,
}

pub const HEADER: [&str; 5] = ["section", "hscode", "description", "parent", "level"];
/// The file's own marker for the root of the tree ("all commodities") and its parent column.
const ROOT: &str = "TOTAL";

fn valid_section(section: &str) -> bool {
    section == ROOT
        || (!section.is_empty()
            && section.len() <= 5
            && section.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

/// Parses the whole file. Every problem is reported with its line; lines with problems are left
/// out of `lines`, so the caller decides whether to import nothing or only the good lines.
pub fn parse_hs_csv(input: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    match reader.headers() {
        Ok(header) if header.iter().map(str::trim).eq(HEADER) => {}
        Ok(header) => {
            parsed.errors.push(LineError {
                line: 1,
                message: format!(
                    "expected the columns {} but found {}",
                    HEADER.join(","),
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            });
            return parsed;
        }
        Err(e) => {
            parsed.errors.push(LineError {
                line: 1,
                message: format!("unreadable header: {e}"),
            });
            return parsed;
        }
    }
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                parsed.errors.push(LineError {
                    line,
                    message: format!("not valid CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let fail = |message: String| LineError { line, message };
        if record.len() != HEADER.len() {
            parsed.errors.push(fail(format!(
                "expected {} fields, found {}",
                HEADER.len(),
                record.len()
            )));
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let (section, code, description, parent, level) =
            (field(0), field(1), field(2), field(3), field(4));
        if code == ROOT {
            continue; // the root row of the tree, not a tariff line
        }
        let problem = if !code.chars().all(|c| c.is_ascii_digit())
            || ![2, 4, 6, 8, 10].contains(&code.len())
        {
            Some(format!(
                "the code {code:?} must have 2, 4, 6, 8 or 10 digits"
            ))
        } else if level != code.len().to_string() {
            Some(format!(
                "the level {level:?} does not match the code {code} ({} digits)",
                code.len()
            ))
        } else if !valid_section(&section) {
            Some(format!("the section {section:?} is not a Roman numeral"))
        } else if description.is_empty() {
            Some("the description is empty".to_string())
        } else if code.len() == 2 && parent != ROOT {
            Some(format!("a chapter's parent must be {ROOT}, not {parent:?}"))
        } else if code.len() > 2 && !(parent.len() == code.len() - 2 && code.starts_with(&parent)) {
            Some(format!(
                "the parent {parent:?} is not the code {code} without its last two digits"
            ))
        } else if !seen.insert(code.clone()) {
            Some(format!("the code {code} appears twice"))
        } else {
            None
        };
        match problem {
            Some(message) => parsed.errors.push(fail(message)),
            None => parsed.lines.push(TariffLine {
                line,
                parent: (code.len() > 2).then_some(parent),
                code,
                section,
                description,
            }),
        }
    }
    // Every parent must be a line of the file (checked once all lines are known).
    let codes: HashSet<String> = parsed.lines.iter().map(|l| l.code.clone()).collect();
    let (kept, orphans): (Vec<_>, Vec<_>) = parsed
        .lines
        .drain(..)
        .partition(|l| l.parent.as_ref().is_none_or(|p| codes.contains(p)));
    parsed.lines = kept;
    for orphan in orphans {
        let parent = orphan.parent.unwrap_or_default();
        parsed.errors.push(LineError {
            line: orphan.line,
            message: format!("the parent {parent} of {} is missing", orphan.code),
        });
    }
    parsed.errors.sort_by_key(|e| e.line);
    parsed
}

/// `0703200000` as `0703.20.00.00`, the way tariff codes are printed.
pub fn dotted(code: &str) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "section,hscode,description,parent,level\n\
        I,01,Animals; live,TOTAL,2\n\
        I,0101,\"Horses, asses, mules and hinnies; live\",01,4\n\
        I,010121,\"Horses; live, pure-bred breeding animals\",0101,6\n\
        TOTAL,TOTAL,All commodities,TOTAL,5\n";

    #[test]
    fn reads_quoted_descriptions_and_skips_the_root_row() {
        let parsed = parse_hs_csv(GOOD.as_bytes());
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.lines.len(), 3);
        assert_eq!(
            parsed.lines[1].description,
            "Horses, asses, mules and hinnies; live"
        );
        assert_eq!(parsed.lines[2].parent.as_deref(), Some("0101"));
        assert_eq!(parsed.lines[0].parent, None);
    }

    #[test]
    fn reports_each_problem_with_its_line_number() {
        let input = "section,hscode,description,parent,level\n\
            I,01,Animals; live,TOTAL,2\n\
            I,01A1,Bad code,01,4\n\
            I,0102,Level wrong,01,6\n\
            I,0103,,01,4\n\
            I,0201,Wrong parent,01,4\n\
            I,0101,Fine,01,4\n\
            I,0101,Twice,01,4\n\
            I,0104,Too few fields\n";
        let parsed = parse_hs_csv(input.as_bytes());
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 8, 9], "{:?}", parsed.errors);
        assert_eq!(parsed.lines.len(), 2);
    }

    #[test]
    fn a_wrong_header_stops_at_line_one() {
        let parsed = parse_hs_csv(b"code,text\n01,Animals\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 1);
        assert!(parsed.lines.is_empty());
    }

    #[test]
    fn a_missing_parent_is_reported() {
        let parsed =
            parse_hs_csv(b"section,hscode,description,parent,level\nI,010121,Orphan,0101,6\n");
        assert!(
            parsed.errors[0].message.contains("is missing"),
            "{:?}",
            parsed.errors
        );
        assert!(parsed.lines.is_empty());
    }
}
