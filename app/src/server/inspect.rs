//! What an uploaded file really is, decided from its content, and whether it can be opened safely:
//! the format (which the name's extension must agree with), a readable and unprotected PDF, an
//! Office file that is neither password-protected nor an archive bomb.
//!
//! Memory stays bounded whatever the file's size: the inspection sees only its first
//! [`HEAD_BYTES`], its last [`TAIL_BYTES`] and its length, never the whole file. That is why PDFs
//! are not parsed with `lopdf`: it loads (and decompresses) the whole document, which would break
//! the promise of 50 concurrent 20 MiB uploads in 256 MB. Everything checked here is found at a
//! PDF's two ends: the header, the final `%%EOF`, and the trailer dictionary that names an
//! `/Encrypt` dictionary: the classic trailer, the dictionary of a cross-reference stream (it
//! stays uncompressed even though the stream is), and a linearized file's first-page trailer at
//! the start. Zip containers are read through their central directory, which sits at the end.

use std::cell::Cell;
use std::io::{Read, Seek, SeekFrom};

use crate::domain::documents::{FileFormat, Refusal};

use super::settings::DocumentSettings;

/// How much of a file's start the inspection sees (signatures, a PDF header, XML's first tag).
pub const HEAD_BYTES: usize = 64 * 1024;
/// How much of a file's end it sees (a PDF's trailer, a zip's central directory).
pub const TAIL_BYTES: usize = 256 * 1024;

/// An Office file's compound-document header (`D0 CF 11 E0 A1 B1 1A E1`): how Office stores a
/// password-protected `.docx` or `.xlsx` (the encrypted package inside an OLE file), and also the
/// old binary formats (`.doc`, `.xls`) that are not accepted.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An entry that unpacks to more than this ...
const RATIO_GRACE_BYTES: u64 = 100 * 1024;
/// ... at more than this many times its packed size is a compression bomb. Both numbers are
/// Apache POI's (`ZipSecureFile`: a minimum inflate ratio of 0.01 past a 100 KiB grace), which
/// real spreadsheets and documents stay well within.
const MAX_RATIO: u64 = 100;

/// The parts of a file the inspection sees. For a file no larger than a part, the part is the
/// whole file.
#[derive(Clone, Copy, Debug)]
pub struct Sample<'a> {
    /// The first bytes, at most [`HEAD_BYTES`].
    pub head: &'a [u8],
    /// The last bytes, at most [`TAIL_BYTES`].
    pub tail: &'a [u8],
    /// The whole file's length.
    pub size: u64,
}

/// The format of a non-empty file whose name claims `claimed` (see
/// [`FileFormat::from_extension`]), or why it is refused.
pub fn inspect(
    sample: &Sample<'_>,
    claimed: Option<FileFormat>,
    settings: &DocumentSettings,
) -> Result<FileFormat, Refusal> {
    let claimed = claimed.ok_or(Refusal::TypeNotAllowed)?;
    let format = match sniff(sample) {
        Sniffed::Format(found) if found.is_zip() => {
            read_archive(sample, settings)?;
            found
        }
        Sniffed::Format(found) => found,
        // Some writers order a workbook's parts so that sniffing the start sees only a zip: the
        // central directory then says which Office format it is.
        Sniffed::Zip if claimed.is_zip() => read_archive(sample, settings)?
            .office
            .ok_or(Refusal::TypeNotAllowed)?,
        Sniffed::Ole if matches!(claimed, FileFormat::Docx | FileFormat::Xlsx) => {
            return Err(Refusal::Protected);
        }
        Sniffed::Text => match claimed {
            FileFormat::Csv | FileFormat::Text => claimed,
            FileFormat::Xml if looks_like_xml(sample.head) => claimed,
            _ => return Err(Refusal::ExtensionMismatch),
        },
        Sniffed::Zip | Sniffed::Ole | Sniffed::Other => return Err(Refusal::TypeNotAllowed),
    };
    if format != claimed {
        return Err(Refusal::ExtensionMismatch);
    }
    if format == FileFormat::Pdf {
        check_pdf(sample)?;
    }
    Ok(format)
}

/// What the content looks like before any format's own checks.
#[derive(Debug, PartialEq, Eq)]
enum Sniffed {
    /// One of the accepted binary formats, by its signature.
    Format(FileFormat),
    /// A zip archive `infer` could not place.
    Zip,
    /// A compound (OLE) file.
    Ole,
    /// UTF-8 text without NULs.
    Text,
    /// Anything else (an executable, an unaccepted image or archive, binary data).
    Other,
}

fn sniff(sample: &Sample<'_>) -> Sniffed {
    if sample.head.starts_with(&OLE_MAGIC) {
        return Sniffed::Ole;
    }
    match infer::get(sample.head) {
        // `infer`'s text matchers (HTML, XML, scripts) only say what a text is about.
        Some(kind) if kind.matcher_type() != infer::MatcherType::Text => match kind.mime_type() {
            "application/zip" => Sniffed::Zip,
            mime => FileFormat::ALL
                .into_iter()
                .find(|f| !f.is_text() && f.content_type() == mime)
                .map_or(Sniffed::Other, Sniffed::Format),
        },
        _ if is_text(sample) => Sniffed::Text,
        _ => Sniffed::Other,
    }
}

/// UTF-8 without NULs at both ends (a part cut from a longer file may start or end inside a
/// character: those few bytes are not held against it).
fn is_text(sample: &Sample<'_>) -> bool {
    let whole = sample.size <= sample.head.len() as u64;
    let head_ok = match std::str::from_utf8(sample.head) {
        Ok(_) => true,
        // `error_len() == None`: only an incomplete character at the very end.
        Err(e) => !whole && e.error_len().is_none(),
    };
    if !head_ok || sample.head.contains(&0) {
        return false;
    }
    if whole {
        return true;
    }
    let cut = sample
        .tail
        .iter()
        .take(3)
        .take_while(|b| (**b & 0xC0) == 0x80)
        .count();
    std::str::from_utf8(&sample.tail[cut..]).is_ok() && !sample.tail.contains(&0)
}

/// XML starts with a tag (`<?xml`, a comment or the root element), after an optional byte-order
/// mark and blank space.
fn looks_like_xml(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    text.trim_ascii_start().starts_with(b"<")
}

fn check_pdf(sample: &Sample<'_>) -> Result<(), Refusal> {
    if !sample.head.starts_with(b"%PDF-") || !contains(sample.tail, b"%%EOF") {
        return Err(Refusal::Unreadable);
    }
    if names_encrypt(sample.head) || names_encrypt(sample.tail) {
        return Err(Refusal::Protected);
    }
    Ok(())
}

/// Whether `bytes` hold the name `/Encrypt` (and not a longer name such as `/EncryptMetadata`):
/// a PDF name ends at white space or a delimiter.
fn names_encrypt(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"/Encrypt";
    bytes.windows(NAME.len()).enumerate().any(|(at, window)| {
        window == NAME
            && bytes
                .get(at + NAME.len())
                .is_none_or(|next| next.is_ascii_whitespace() || b"\0()<>[]{}/%".contains(next))
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What the central directory of a zip container told.
#[derive(Debug, PartialEq, Eq)]
struct Archive {
    /// The Office Open XML format its parts name, if any.
    office: Option<FileFormat>,
}

/// Reads a zip container's central directory from the tail and checks its bounds: entries,
/// unpacked size, compression ratio, encryption.
fn read_archive(sample: &Sample<'_>, settings: &DocumentSettings) -> Result<Archive, Refusal> {
    let left_the_tail = Cell::new(false);
    let reader = TailReader::new(sample, &left_the_tail);
    // The archive starts at the file's start: nothing is searched for before the tail.
    let config = zip::read::Config {
        archive_offset: zip::read::ArchiveOffset::Known(0),
    };
    let archive = zip::ZipArchive::with_config(config, reader).map_err(|_| {
        if left_the_tail.get() {
            Refusal::ArchiveBounds
        } else {
            Refusal::Unreadable
        }
    })?;
    if archive.len() > settings.max_archive_entries as usize {
        return Err(Refusal::ArchiveBounds);
    }
    if archive.has_duplicate_names() {
        return Err(Refusal::Unreadable);
    }
    let mut unpacked: u64 = 0;
    let mut office = None;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|_| Refusal::Unreadable)?;
        if entry.encrypted() {
            return Err(Refusal::Protected);
        }
        let size = entry.size();
        unpacked = unpacked.saturating_add(size);
        if unpacked > settings.max_unpacked_bytes
            || (size > RATIO_GRACE_BYTES && size / MAX_RATIO > entry.compressed_size())
        {
            return Err(Refusal::ArchiveBounds);
        }
        office = office.or(match entry.name().as_deref() {
            Ok("word/document.xml") => Some(FileFormat::Docx),
            Ok("xl/workbook.xml") => Some(FileFormat::Xlsx),
            _ => None,
        });
    }
    Ok(Archive { office })
}

/// The file as the zip reader sees it: its true length, but only the tail's bytes. Reaching
/// before the tail fails and is noted (the central directory does not fit in the tail).
struct TailReader<'a> {
    tail: &'a [u8],
    /// The file offset of the tail's first byte.
    start: u64,
    size: u64,
    position: u64,
    left_the_tail: &'a Cell<bool>,
}

impl<'a> TailReader<'a> {
    fn new(sample: &Sample<'a>, left_the_tail: &'a Cell<bool>) -> TailReader<'a> {
        TailReader {
            tail: sample.tail,
            start: sample.size.saturating_sub(sample.tail.len() as u64),
            size: sample.size,
            position: 0,
            left_the_tail,
        }
    }
}

impl Read for TailReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.position < self.start {
            self.left_the_tail.set(true);
            return Err(std::io::Error::other("before the inspected tail"));
        }
        let from = usize::try_from(self.position - self.start).unwrap_or(usize::MAX);
        let available = self.tail.get(from..).unwrap_or_default();
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for TailReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.size.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position = target.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;

    use super::*;

    fn settings() -> DocumentSettings {
        DocumentSettings::default()
    }

    /// The parts `receive` would keep of `bytes`.
    fn check(bytes: &[u8], name: &str, settings: &DocumentSettings) -> Result<FileFormat, Refusal> {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = &bytes[bytes.len().saturating_sub(TAIL_BYTES)..];
        let sample = Sample {
            head,
            tail,
            size: bytes.len() as u64,
        };
        inspect(&sample, FileFormat::from_extension(name), settings)
    }

    fn pdf(body: &str) -> Vec<u8> {
        format!(
            "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n{body}\ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
        )
        .into_bytes()
    }

    /// A zip with `entries` (name, content), deflated.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#;

    fn docx_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", b"<w:document/>"),
        ];
        entries.extend_from_slice(extra);
        zip_of(&entries)
    }

    fn xlsx() -> Vec<u8> {
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", b"<workbook/>"),
        ])
    }

    /// An OpenDocument text: the `mimetype` entry first and stored, as the format requires.
    fn odt() -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        writer.start_file("mimetype", stored).unwrap();
        writer
            .write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        writer.start_file("content.xml", stored).unwrap();
        writer.write_all(b"<office:document-content/>").unwrap();
        writer.finish().unwrap().into_inner()
    }

    /// Sets the "encrypted" flag (bit 0) of every entry, in the local and the central headers.
    fn flag_encrypted(mut bytes: Vec<u8>) -> Vec<u8> {
        for at in 0..bytes.len().saturating_sub(10) {
            match &bytes[at..at + 4] {
                b"PK\x03\x04" => bytes[at + 6] |= 1,
                b"PK\x01\x02" => bytes[at + 8] |= 1,
                _ => {}
            }
        }
        bytes
    }

    /// Bytes that do not compress, as in a real photo or an already packed part.
    fn noise(len: usize) -> Vec<u8> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    fn png() -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        bytes
    }

    #[test]
    fn each_accepted_format_is_known_by_its_content() {
        let s = settings();
        assert_eq!(check(&pdf(""), "factura.pdf", &s), Ok(FileFormat::Pdf));
        assert_eq!(
            check(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0", "foto.JPG", &s),
            Ok(FileFormat::Jpeg)
        );
        assert_eq!(check(&png(), "sello.png", &s), Ok(FileFormat::Png));
        assert_eq!(
            check(b"II*\0\x08\0\0\0\0\0\0\0\0\0", "escaneo.tif", &s),
            Ok(FileFormat::Tiff)
        );
        assert_eq!(
            check(&docx_with(&[]), "contrato.docx", &s),
            Ok(FileFormat::Docx)
        );
        assert_eq!(check(&xlsx(), "precios.xlsx", &s), Ok(FileFormat::Xlsx));
        assert_eq!(check(&odt(), "carta.odt", &s), Ok(FileFormat::Odt));
        assert_eq!(
            check("código;precio\n0703.20;1,50\n".as_bytes(), "lista.csv", &s),
            Ok(FileFormat::Csv)
        );
        assert_eq!(
            check(b"Nota de entrega", "nota.txt", &s),
            Ok(FileFormat::Text)
        );
        assert_eq!(
            check(
                b"\xEF\xBB\xBF<?xml version=\"1.0\"?><factura/>",
                "cfdi.xml",
                &s
            ),
            Ok(FileFormat::Xml)
        );
    }

    #[test]
    fn a_name_without_an_accepted_extension_is_refused_whatever_the_content() {
        let s = settings();
        assert_eq!(check(&pdf(""), "factura", &s), Err(Refusal::TypeNotAllowed));
        assert_eq!(
            check(&pdf(""), "factura.exe", &s),
            Err(Refusal::TypeNotAllowed)
        );
    }

    #[test]
    fn content_of_a_format_not_accepted_is_refused() {
        let s = settings();
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0";
        assert_eq!(check(exe, "factura.pdf", &s), Err(Refusal::TypeNotAllowed));
        assert_eq!(
            check(b"GIF89a\x01\0\x01\0\0\0\0", "foto.png", &s),
            Err(Refusal::TypeNotAllowed)
        );
        let plain_zip = zip_of(&[("a.txt", b"hola")]);
        assert_eq!(
            check(&plain_zip, "datos.xlsx", &s),
            Err(Refusal::TypeNotAllowed)
        );
        assert_eq!(
            check(&plain_zip, "datos.pdf", &s),
            Err(Refusal::TypeNotAllowed)
        );
        assert_eq!(
            check(&noise(5000), "datos.txt", &s),
            Err(Refusal::TypeNotAllowed)
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 504]);
        assert_eq!(check(&ole, "viejo.pdf", &s), Err(Refusal::TypeNotAllowed));
    }

    #[test]
    fn content_that_disagrees_with_the_extension_is_a_mismatch() {
        let s = settings();
        assert_eq!(
            check(&png(), "factura.pdf", &s),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check(&pdf(""), "foto.jpg", &s),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check(&xlsx(), "contrato.docx", &s),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check(&docx_with(&[]), "carta.odt", &s),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check(b"hola", "factura.pdf", &s),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check(b"a,b\n1,2\n", "datos.xml", &s),
            Err(Refusal::ExtensionMismatch)
        );
        // Text is text: a .csv holding XML is still a CSV as far as anyone can tell.
        assert_eq!(check(b"<a/>", "datos.csv", &s), Ok(FileFormat::Csv));
        assert_eq!(
            check(b"<html></html>", "nota.txt", &s),
            Ok(FileFormat::Text)
        );
    }

    #[test]
    fn text_with_nuls_or_broken_utf8_is_not_text() {
        let s = settings();
        assert_eq!(check(b"a,b\0,c", "x.csv", &s), Err(Refusal::TypeNotAllowed));
        assert_eq!(
            check(b"precio \xE9", "x.txt", &s),
            Err(Refusal::TypeNotAllowed)
        );
        // UTF-16 (NULs between the letters) is not accepted as text.
        assert_eq!(
            check(b"\xFF\xFEa\0,\0b\0", "x.csv", &s),
            Err(Refusal::TypeNotAllowed)
        );
    }

    #[test]
    fn long_text_is_judged_by_both_ends_even_when_a_character_is_cut() {
        let s = settings();
        // Two-byte characters from the head's last byte on, and an odd length: both the head's
        // end and the tail's start fall inside a character.
        let text = format!(
            "{}{}x",
            "a".repeat(HEAD_BYTES - 1),
            "ñ".repeat(HEAD_BYTES * 4)
        );
        let bytes = text.as_bytes();
        assert!(!text.is_char_boundary(HEAD_BYTES));
        assert!(!text.is_char_boundary(bytes.len() - TAIL_BYTES));
        assert_eq!(check(bytes, "pesos.csv", &s), Ok(FileFormat::Csv));
        let mut with_nul = bytes.to_vec();
        let end = with_nul.len() - 10;
        with_nul[end] = 0;
        assert_eq!(
            check(&with_nul, "pesos.csv", &s),
            Err(Refusal::TypeNotAllowed)
        );
        let mut broken = bytes.to_vec();
        broken[end] = 0xFF;
        assert_eq!(
            check(&broken, "pesos.csv", &s),
            Err(Refusal::TypeNotAllowed)
        );
    }

    #[test]
    fn a_pdf_without_its_header_or_end_is_unreadable() {
        let s = settings();
        let mut truncated = pdf("");
        truncated.truncate(truncated.len() - 7);
        assert_eq!(
            check(&truncated, "factura.pdf", &s),
            Err(Refusal::Unreadable)
        );
        let mut no_dash = pdf("");
        no_dash[4] = b'x';
        assert_eq!(check(&no_dash, "factura.pdf", &s), Err(Refusal::Unreadable));
    }

    #[test]
    fn a_pdf_naming_an_encryption_dictionary_is_protected() {
        let s = settings();
        let classic = String::from_utf8(pdf(""))
            .unwrap()
            .replace("/Root 1 0 R", "/Root 1 0 R /Encrypt 5 0 R");
        assert_eq!(
            check(classic.as_bytes(), "a.pdf", &s),
            Err(Refusal::Protected)
        );
        // A cross-reference stream's dictionary, directly followed by a delimiter.
        let xref_stream = pdf(
            "9 0 obj\n<</Type/XRef/Size 10/Encrypt<</Filter/Standard>>>>\nstream\nendstream\nendobj",
        );
        assert_eq!(check(&xref_stream, "a.pdf", &s), Err(Refusal::Protected));
        // A linearized file names it in the first-page trailer near the start; the end of a
        // long file holds no sign of it.
        let mut linearized =
            b"%PDF-1.7\n1 0 obj<</Linearized 1>>endobj\ntrailer<</Size 9/Encrypt 8 0 R>>\n"
                .to_vec();
        linearized.extend(std::iter::repeat_n(b' ', TAIL_BYTES * 2));
        linearized.extend_from_slice(b"\n%%EOF\n");
        assert_eq!(check(&linearized, "a.pdf", &s), Err(Refusal::Protected));
        // A longer name is a different name.
        let metadata = pdf("2 0 obj<</EncryptMetadata false>>endobj");
        assert_eq!(check(&metadata, "a.pdf", &s), Ok(FileFormat::Pdf));
    }

    #[test]
    fn an_office_file_inside_a_compound_file_is_password_protected() {
        let s = settings();
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 1024]);
        assert_eq!(check(&ole, "contrato.docx", &s), Err(Refusal::Protected));
        assert_eq!(check(&ole, "precios.xlsx", &s), Err(Refusal::Protected));
    }

    #[test]
    fn encrypted_zip_entries_are_protected() {
        let s = settings();
        assert_eq!(
            check(&flag_encrypted(docx_with(&[])), "contrato.docx", &s),
            Err(Refusal::Protected)
        );
    }

    #[test]
    fn too_many_entries_or_too_many_unpacked_bytes_are_out_of_bounds() {
        let mut s = settings();
        s.max_archive_entries = 10;
        let names: Vec<String> = (0..8).map(|i| format!("word/media/image{i}.png")).collect();
        let eight: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        assert_eq!(
            check(&docx_with(&eight[..7]), "a.docx", &s),
            Ok(FileFormat::Docx),
            "exactly the limit"
        );
        assert_eq!(
            check(&docx_with(&eight), "a.docx", &s),
            Err(Refusal::ArchiveBounds)
        );

        let mut s = settings();
        s.max_unpacked_bytes = 100_000;
        let photo = noise(60_000);
        assert_eq!(
            check(&docx_with(&[("word/media/a.png", &photo)]), "a.docx", &s),
            Ok(FileFormat::Docx)
        );
        assert_eq!(
            check(
                &docx_with(&[("word/media/a.png", &photo), ("word/media/b.png", &photo)]),
                "a.docx",
                &s
            ),
            Err(Refusal::ArchiveBounds)
        );
    }

    #[test]
    fn an_entry_that_unpacks_over_a_hundred_times_its_size_is_a_bomb() {
        let s = settings();
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let bomb = docx_with(&[("word/media/a.bin", &zeros)]);
        assert!(bomb.len() < 64 * 1024, "deflate packs zeros about 1000:1");
        assert_eq!(check(&bomb, "a.docx", &s), Err(Refusal::ArchiveBounds));
        // Small parts may compress as well as they like.
        let small = docx_with(&[("word/styles.xml", &zeros[..RATIO_GRACE_BYTES as usize])]);
        assert_eq!(check(&small, "a.docx", &s), Ok(FileFormat::Docx));
    }

    #[test]
    fn a_central_directory_larger_than_the_tail_is_out_of_bounds() {
        let mut s = settings();
        s.max_archive_entries = 100_000;
        let names: Vec<String> = (0..4000)
            .map(|i| format!("word/media/a-rather-long-name-for-an-image-{i:05}.png"))
            .collect();
        let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let bytes = docx_with(&many);
        assert!(bytes.len() > TAIL_BYTES);
        assert_eq!(check(&bytes, "a.docx", &s), Err(Refusal::ArchiveBounds));
    }

    #[test]
    fn a_damaged_zip_is_unreadable() {
        let s = settings();
        let mut cut = docx_with(&[]);
        cut.truncate(cut.len() - 30);
        assert_eq!(check(&cut, "a.docx", &s), Err(Refusal::Unreadable));
        let mut scrambled = docx_with(&[]);
        let central = scrambled
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .unwrap();
        scrambled[central + 1] = b'X';
        assert_eq!(check(&scrambled, "a.docx", &s), Err(Refusal::Unreadable));
    }

    #[test]
    fn a_large_office_file_is_read_through_its_tail_alone() {
        let s = settings();
        let photo = noise(3 * 1024 * 1024);
        let bytes = docx_with(&[("word/media/a.png", &photo)]);
        assert!(bytes.len() > TAIL_BYTES + HEAD_BYTES);
        assert_eq!(check(&bytes, "a.docx", &s), Ok(FileFormat::Docx));
    }
}
