//! The results of a batch as CSV: the answers of each line, then what the check found (or the
//! line's errors). Column names are fixed codes for other systems; the verdict and the errors
//! are in the reader's language.

use super::repo::StoredLine;
use crate::domain::valuation::format_money;
use crate::features::check::{FIELD_NAMES, verdict_msg};
use crate::i18n::{Lang, t};

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

/// An uploaded answer as a cell a spreadsheet will not run: text that would start a formula
/// gets a leading apostrophe (the OWASP advice for CSV injection).
fn inert(answer: &str) -> String {
    if answer.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{answer}")
    } else {
        answer.to_string()
    }
}

/// A decimal without trailing zeros: `1.5` whether the file said `1.50` or `1.5`.
fn plain(value: rust_decimal::Decimal) -> String {
    value.normalize().to_string()
}

pub fn results_csv(lines: &[StoredLine], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = std::iter::once("line")
        .chain(FIELD_NAMES)
        .chain(std::iter::once("reasons"))
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
    use super::inert;

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
