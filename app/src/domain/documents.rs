//! Supporting documents as the rules see them: their types, the file formats customs accepts,
//! the reasons a file is refused, the types an assessment calls for, and clean display names.

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;

/// What a document is, as the trader declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    Invoice,
    Contract,
    Payment,
    PriceList,
    Transport,
    Insurance,
    Royalty,
    TransferPricing,
    PriceLetter,
    BrokerAuthority,
    Other,
}

impl DocType {
    pub const ALL: [DocType; 11] = [
        DocType::Invoice,
        DocType::Contract,
        DocType::Payment,
        DocType::PriceList,
        DocType::Transport,
        DocType::Insurance,
        DocType::Royalty,
        DocType::TransferPricing,
        DocType::PriceLetter,
        DocType::BrokerAuthority,
        DocType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocType::Invoice => "invoice",
            DocType::Contract => "contract",
            DocType::Payment => "payment",
            DocType::PriceList => "price_list",
            DocType::Transport => "transport",
            DocType::Insurance => "insurance",
            DocType::Royalty => "royalty",
            DocType::TransferPricing => "transfer_pricing",
            DocType::PriceLetter => "price_letter",
            DocType::BrokerAuthority => "broker_authority",
            DocType::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The document that carries a piece of the evidence the check lists.
    pub fn for_evidence(evidence: Evidence) -> DocType {
        match evidence {
            Evidence::Invoice => DocType::Invoice,
            Evidence::Contract => DocType::Contract,
            Evidence::Payment => DocType::Payment,
            Evidence::Transport => DocType::Transport,
            Evidence::Insurance => DocType::Insurance,
            Evidence::PriceList | Evidence::VolumeScales => DocType::PriceList,
            Evidence::DiscountLetter
            | Evidence::QualitySheets
            | Evidence::CommercialLevelProof
            | Evidence::ClearanceProof => DocType::PriceLetter,
            Evidence::TransferPricing => DocType::TransferPricing,
            Evidence::RoyaltyAgreement => DocType::Royalty,
        }
    }
}

/// The document types an assessment calls for, most important first, without repeats: those
/// carrying the evidence its check listed, and a broker's letter of authority when a broker acts.
pub fn suggested_types(evidence: &[Evidence], broker_acts: bool) -> Vec<DocType> {
    let mut types = Vec::new();
    let wanted = evidence
        .iter()
        .map(|e| DocType::for_evidence(*e))
        .chain(broker_acts.then_some(DocType::BrokerAuthority));
    for doc_type in wanted {
        if !types.contains(&doc_type) {
            types.push(doc_type);
        }
    }
    types
}

/// Who at customs may read a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    #[default]
    Normal,
    /// Confidential commercial information: for the officer assigned to the case only.
    Confidential,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 2] = [Confidentiality::Normal, Confidentiality::Confidential];

    pub fn code(self) -> &'static str {
        match self {
            Confidentiality::Normal => "normal",
            Confidentiality::Confidential => "confidential",
        }
    }

    pub fn parse(code: &str) -> Option<Confidentiality> {
        Confidentiality::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A file format customs accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Xlsx,
    Docx,
    Odt,
    Ods,
    Csv,
    Text,
    Xml,
}

impl FileFormat {
    pub const ALL: [FileFormat; 11] = [
        FileFormat::Pdf,
        FileFormat::Jpeg,
        FileFormat::Png,
        FileFormat::Tiff,
        FileFormat::Xlsx,
        FileFormat::Docx,
        FileFormat::Odt,
        FileFormat::Ods,
        FileFormat::Csv,
        FileFormat::Text,
        FileFormat::Xml,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Jpeg => "jpeg",
            FileFormat::Png => "png",
            FileFormat::Tiff => "tiff",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Docx => "docx",
            FileFormat::Odt => "odt",
            FileFormat::Ods => "ods",
            FileFormat::Csv => "csv",
            FileFormat::Text => "txt",
            FileFormat::Xml => "xml",
        }
    }

    pub fn parse(code: &str) -> Option<FileFormat> {
        FileFormat::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The name people know the format by, as the upload page lists it.
    pub fn display_name(self) -> &'static str {
        match self {
            FileFormat::Pdf => "PDF",
            FileFormat::Jpeg => "JPEG",
            FileFormat::Png => "PNG",
            FileFormat::Tiff => "TIFF",
            FileFormat::Xlsx => "XLSX",
            FileFormat::Docx => "DOCX",
            FileFormat::Odt => "ODT",
            FileFormat::Ods => "ODS",
            FileFormat::Csv => "CSV",
            FileFormat::Text => "TXT",
            FileFormat::Xml => "XML",
        }
    }

    /// The content type a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Pdf => "application/pdf",
            FileFormat::Jpeg => "image/jpeg",
            FileFormat::Png => "image/png",
            FileFormat::Tiff => "image/tiff",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileFormat::Odt => "application/vnd.oasis.opendocument.text",
            FileFormat::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Text => "text/plain; charset=utf-8",
            FileFormat::Xml => "application/xml",
        }
    }

    /// The file-name extensions that may carry this format (lower case, without the dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileFormat::Pdf => &["pdf"],
            FileFormat::Jpeg => &["jpg", "jpeg"],
            FileFormat::Png => &["png"],
            FileFormat::Tiff => &["tif", "tiff"],
            FileFormat::Xlsx => &["xlsx"],
            FileFormat::Docx => &["docx"],
            FileFormat::Odt => &["odt"],
            FileFormat::Ods => &["ods"],
            FileFormat::Csv => &["csv"],
            FileFormat::Text => &["txt"],
            FileFormat::Xml => &["xml"],
        }
    }

    /// The format a file name's extension claims, if it is one customs accepts.
    pub fn from_extension(file_name: &str) -> Option<FileFormat> {
        let extension = extension(file_name)?;
        FileFormat::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&extension.as_str()))
    }

    /// Text formats have no signature: the content decides only that they are text.
    pub fn is_text(self) -> bool {
        matches!(self, FileFormat::Csv | FileFormat::Text | FileFormat::Xml)
    }

    /// Zip containers (Office Open XML and OpenDocument), checked for archive bombs.
    pub fn is_zip(self) -> bool {
        matches!(
            self,
            FileFormat::Xlsx | FileFormat::Docx | FileFormat::Odt | FileFormat::Ods
        )
    }
}

/// The lower-case extension of a file name, without the dot.
pub fn extension(file_name: &str) -> Option<String> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_ascii_lowercase())
}

/// The longest display name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// The name a file is shown and downloaded under: what the browser sent without any folder part
/// (some browsers send a whole path) and without control characters, at most
/// [`MAX_FILE_NAME_CHARS`] (the extension is kept). `None` when nothing usable is left. It is
/// only ever shown, never used as a path.
pub fn clean_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') {
        return None;
    }
    if cleaned.chars().count() <= MAX_FILE_NAME_CHARS {
        return Some(cleaned.to_string());
    }
    let tail: String = match cleaned.rsplit_once('.') {
        Some((_, ext)) if ext.chars().count() <= 10 => format!(".{ext}"),
        _ => String::new(),
    };
    let head: String = cleaned
        .chars()
        .take(MAX_FILE_NAME_CHARS - tail.chars().count())
        .collect();
    Some(format!("{head}{tail}"))
}

/// The name a download is offered under: ASCII letters, digits, `.`, `-` and `_` only, so the
/// `Content-Disposition` header needs no quoting rules (the full name goes in `filename*`).
pub fn ascii_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() {
        "document".into()
    } else {
        safe.to_string()
    }
}

/// Why a file was not accepted. Each has a code (kept in addresses and the API) and a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The file is empty.
    Empty,
    /// Larger than the per-file limit.
    TooLarge,
    /// Not one of the accepted formats.
    TypeNotAllowed,
    /// The name's extension says one format, the content another.
    ExtensionMismatch,
    /// A password-protected PDF or Office file.
    Protected,
    /// A PDF or Office file that cannot be read.
    Unreadable,
    /// An Office file whose unpacked size or number of entries is out of bounds.
    ArchiveBounds,
    /// The same file (SHA-256) is already on this assessment.
    Duplicate,
    /// The scanner found a virus.
    Virus,
    /// The file name has nothing usable left.
    NoName,
    /// The assessment already holds as many documents as allowed.
    TooMany,
}

impl Refusal {
    pub const ALL: [Refusal; 11] = [
        Refusal::Empty,
        Refusal::TooLarge,
        Refusal::TypeNotAllowed,
        Refusal::ExtensionMismatch,
        Refusal::Protected,
        Refusal::Unreadable,
        Refusal::ArchiveBounds,
        Refusal::Duplicate,
        Refusal::Virus,
        Refusal::NoName,
        Refusal::TooMany,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::TypeNotAllowed => "type_not_allowed",
            Refusal::ExtensionMismatch => "extension_mismatch",
            Refusal::Protected => "protected",
            Refusal::Unreadable => "unreadable",
            Refusal::ArchiveBounds => "archive_bounds",
            Refusal::Duplicate => "duplicate",
            Refusal::Virus => "virus",
            Refusal::NoName => "no_name",
            Refusal::TooMany => "too_many",
        }
    }

    pub fn parse(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A byte count as people read it: whole MB (1 MiB = 1,048,576 bytes) for a limit of whole
/// mebibytes, else one decimal; KB below 1 MiB. `decimal_comma` for Spanish.
pub fn format_size(bytes: u64, decimal_comma: bool) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (whole, tenths, unit) = if bytes >= MIB {
        let tenths = (bytes * 10 + MIB / 2) / MIB;
        (tenths / 10, tenths % 10, "MB")
    } else if bytes >= KIB {
        let tenths = (bytes * 10 + KIB / 2) / KIB;
        (tenths / 10, tenths % 10, "KB")
    } else {
        return format!("{bytes} B");
    };
    if tenths == 0 {
        format!("{whole} {unit}")
    } else {
        let mark = if decimal_comma { ',' } else { '.' };
        format!("{whole}{mark}{tenths} {unit}")
    }
}

/// The limits an upload page states, read from the settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub max_file_bytes: u64,
    /// Documents one assessment may hold.
    pub max_files: u32,
    /// Whether a virus scanner checks every file (without one, files are marked not scanned).
    pub scanning: bool,
}

/// Where a library document stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Valid from a later day.
    NotYet,
    Valid,
    /// Valid, but ends within [`EXPIRY_WARNING_DAYS`].
    ExpiringSoon,
    Expired,
}

/// How far ahead the library warns of a document's end.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

impl Validity {
    pub const ALL: [Validity; 4] = [
        Validity::NotYet,
        Validity::Valid,
        Validity::ExpiringSoon,
        Validity::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Validity::NotYet => "not_yet",
            Validity::Valid => "valid",
            Validity::ExpiringSoon => "expiring",
            Validity::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<Validity> {
        Validity::ALL.into_iter().find(|v| v.code() == code)
    }

    /// A document valid from `from` until `until` (inclusive; `None`: no end), on `today`.
    pub fn on(
        from: chrono::NaiveDate,
        until: Option<chrono::NaiveDate>,
        today: chrono::NaiveDate,
    ) -> Validity {
        match until {
            _ if today < from => Validity::NotYet,
            Some(end) if end < today => Validity::Expired,
            Some(end) if (end - today).num_days() <= EXPIRY_WARNING_DAYS => Validity::ExpiringSoon,
            _ => Validity::Valid,
        }
    }

    /// Whether a document in this state may be attached to an assessment.
    pub fn attachable(self) -> bool {
        matches!(self, Validity::Valid | Validity::ExpiringSoon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_the_evidence_once_each_and_ask_for_authority_only_when_a_broker_acts() {
        let evidence = [
            Evidence::Invoice,
            Evidence::Contract,
            Evidence::PriceList,
            Evidence::VolumeScales,
            Evidence::DiscountLetter,
        ];
        assert_eq!(
            suggested_types(&evidence, false),
            vec![
                DocType::Invoice,
                DocType::Contract,
                DocType::PriceList,
                DocType::PriceLetter
            ]
        );
        assert_eq!(
            suggested_types(&evidence, true).last(),
            Some(&DocType::BrokerAuthority)
        );
    }

    #[test]
    fn every_code_reads_back_as_itself() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.code()), Some(t));
        }
        for f in FileFormat::ALL {
            assert_eq!(FileFormat::parse(f.code()), Some(f));
        }
        for r in Refusal::ALL {
            assert_eq!(Refusal::parse(r.code()), Some(r));
        }
        assert_eq!(DocType::parse("passport"), None);
    }

    #[test]
    fn an_extension_claims_a_format_whatever_its_case() {
        assert_eq!(
            FileFormat::from_extension("Factura.PDF"),
            Some(FileFormat::Pdf)
        );
        assert_eq!(
            FileFormat::from_extension("foto.jpeg"),
            Some(FileFormat::Jpeg)
        );
        assert_eq!(FileFormat::from_extension("setup.exe"), None);
        assert_eq!(FileFormat::from_extension("pdf"), None);
        assert_eq!(FileFormat::from_extension(".pdf"), None);
    }

    #[test]
    fn display_names_lose_folders_and_control_characters() {
        assert_eq!(
            clean_file_name("C:\\Users\\ana\\factura.pdf").as_deref(),
            Some("factura.pdf")
        );
        assert_eq!(
            clean_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            clean_file_name("fac\u{0}tu\nra.pdf").as_deref(),
            Some("factura.pdf")
        );
        assert_eq!(clean_file_name("docs/.."), None);
        assert_eq!(clean_file_name("  "), None);
        let long = format!("{}.pdf", "a".repeat(400));
        let cleaned = clean_file_name(&long).unwrap();
        assert_eq!(cleaned.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(cleaned.ends_with(".pdf"));
    }

    #[test]
    fn download_names_are_plain_ascii() {
        assert_eq!(ascii_file_name("Factura Nº 12.pdf"), "Factura_N__12.pdf");
        assert_eq!(ascii_file_name("..\"x\".pdf"), "_x_.pdf");
        assert_eq!(ascii_file_name("ñ"), "_");
        assert_eq!(ascii_file_name("..."), "document");
    }

    #[test]
    fn validity_warns_thirty_days_ahead_and_ends_after_the_last_day() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let today = d("2026-12-01");
        assert_eq!(Validity::on(d("2026-12-02"), None, today), Validity::NotYet);
        assert_eq!(Validity::on(d("2026-01-01"), None, today), Validity::Valid);
        assert_eq!(
            Validity::on(d("2026-01-01"), Some(d("2027-01-01")), today),
            Validity::Valid
        );
        assert_eq!(
            Validity::on(d("2026-01-01"), Some(d("2026-12-31")), today),
            Validity::ExpiringSoon
        );
        assert_eq!(
            Validity::on(d("2026-01-01"), Some(d("2026-12-01")), today),
            Validity::ExpiringSoon
        );
        assert_eq!(
            Validity::on(d("2026-01-01"), Some(d("2026-11-30")), today),
            Validity::Expired
        );
        assert!(!Validity::Expired.attachable() && !Validity::NotYet.attachable());
    }

    #[test]
    fn sizes_read_in_whole_or_tenths_of_megabytes() {
        assert_eq!(format_size(20 * 1024 * 1024, true), "20 MB");
        assert_eq!(format_size(1024 * 1024 + 200 * 1024, true), "1,2 MB");
        assert_eq!(format_size(1024 * 1024 + 200 * 1024, false), "1.2 MB");
        assert_eq!(format_size(2048, false), "2 KB");
        assert_eq!(format_size(68, false), "68 B");
    }
}
