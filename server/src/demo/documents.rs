//! Demo documents: two saved assessments of the demo importer (one with a draft invoice, one
//! submitted to customs with an invoice, a contract and a confidential transfer-pricing study)
//! and a company library (a price list valid for a year, a framework contract ending within 30
//! days, an expired letter of authority of the broker). The files are small one-page PDFs made
//! here, stored through the real upload pipeline (not scanned: the demo has no scanner). Seeded
//! once: nothing happens when the first demo assessment exists already.

use app::domain::documents::DocType;
use app::domain::engine::{self, Additions, Basis, Invoice};
use app::domain::evidence::evidence_for;
use app::domain::exchange::RateTable;
use app::domain::incoterm::Incoterm;
use app::domain::units::{Dimension, UnitFactor};
use app::features::assessments::repo::{self as assessments, NewAssessment};
use app::features::check::{CheckForm, CheckOutcome};
use app::features::documents::repo as documents;
use app::features::library::repo as library;
use app::server::settings::DocumentSettings;
use app::server::uploads::{self, Received};
use axum::body::Bytes;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

/// The label of the first demo assessment, which marks the documents as seeded.
const FIRST_LABEL: &str = "Demo: ajo de Shandong (factura en borrador)";

/// Seeds the demo documents of `importer` once.
pub async fn seed(pool: &PgPool, importer: Uuid, today: NaiveDate) -> Result<(), sqlx::Error> {
    let seeded: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM assessments WHERE owner_id = $1 AND label = $2)",
    )
    .bind(importer)
    .bind(FIRST_LABEL)
    .fetch_one(pool)
    .await?;
    if seeded {
        return Ok(());
    }
    let user = |email: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(pool)
            .await
    };
    let admin = user("ana.admin@importadora.demo").await?;
    let compliance = user("carlos.cumplimiento@importadora.demo").await?;
    let by = |user: Uuid| Saver {
        owner: importer,
        user,
    };

    // A garlic import still being prepared: the invoice is a draft.
    let garlic = Line {
        hs: "0703.20.00.00",
        origin: "CN",
        quantity: 12_000,
        unit: ("KGM", Dimension::Mass),
        price: 10_800,
        freight: 900,
        insurance: 60,
        related: false,
    };
    let draft = save(pool, by(admin), FIRST_LABEL, &garlic, today).await?;
    attach(
        pool,
        by(admin),
        &draft,
        DocType::Invoice,
        "Factura comercial SGC-2026-118",
        "factura-SGC-2026-118.pdf",
        false,
    )
    .await?;

    // Laptops bought from a related supplier, submitted to customs with the evidence.
    let laptops = Line {
        hs: "8471.30.00.00",
        origin: "CN",
        quantity: 200,
        unit: ("NIU", Dimension::Count),
        price: 96_000,
        freight: 1_800,
        insurance: 240,
        related: true,
    };
    let submitted = save(
        pool,
        by(admin),
        "Demo: portátiles de proveedor vinculado (presentada)",
        &laptops,
        today,
    )
    .await?;
    for (doc_type, title, file_name, confidential) in [
        (
            DocType::Invoice,
            "Factura comercial HT-77120",
            "factura-HT-77120.pdf",
            false,
        ),
        (
            DocType::Contract,
            "Contrato de compraventa 2026-04",
            "contrato-compraventa-2026-04.pdf",
            false,
        ),
        (
            DocType::TransferPricing,
            "Estudio de precios de transferencia 2025",
            "estudio-precios-transferencia-2025.pdf",
            true,
        ),
    ] {
        attach(
            pool,
            by(admin),
            &submitted,
            doc_type,
            title,
            file_name,
            confidential,
        )
        .await?;
    }
    let mut tx = pool.begin().await?;
    documents::submit_drafts(&mut tx, Uuid::new_v4(), submitted.id, admin).await?;
    tx.commit().await?;

    // The library.
    let year = today.checked_add_days(Days::new(365)).unwrap_or(today);
    let entries = [
        LibraryEntry {
            doc_type: DocType::PriceList,
            title: "Lista de precios 2026 de Shandong Garlic Co.",
            supplier: "Shandong Garlic Co., Ltd.",
            tariff_codes: &["070320"],
            valid_from: today,
            valid_until: Some(year),
            file_name: "lista-precios-shandong-2026.pdf",
        },
        LibraryEntry {
            doc_type: DocType::Contract,
            title: "Contrato marco de suministro de ajo",
            supplier: "Shandong Garlic Co., Ltd.",
            tariff_codes: &["0703"],
            valid_from: today - Days::new(345),
            valid_until: Some(today + Days::new(20)),
            file_name: "contrato-marco-shandong.pdf",
        },
        LibraryEntry {
            doc_type: DocType::BrokerAuthority,
            title: "Carta poder a Agencia de Aduanas Pacífico 2025",
            supplier: "",
            tariff_codes: &[],
            valid_from: today - Days::new(400),
            valid_until: Some(today - Days::new(35)),
            file_name: "carta-poder-agencia-pacifico-2025.pdf",
        },
    ];
    for entry in entries {
        add_to_library(pool, by(compliance), &entry).await?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
struct Saver {
    owner: Uuid,
    user: Uuid,
}

/// One check line of the demo, in US dollars, FOB.
struct Line {
    hs: &'static str,
    origin: &'static str,
    quantity: i64,
    unit: (&'static str, Dimension),
    price: i64,
    freight: i64,
    insurance: i64,
    related: bool,
}

/// The demo saves its assessments before the demo bands exist (they are computed after the
/// accounts), so the outcome is the engine's own without a band: the value, "no band", and the
/// evidence the check lists for that.
fn outcome(line: &Line, date: NaiveDate) -> Result<(CheckForm, CheckOutcome), sqlx::Error> {
    let mut form = CheckForm::default();
    for (name, value) in [
        ("hs", line.hs.to_string()),
        ("origin", line.origin.to_string()),
        ("incoterm", "FOB".to_string()),
        ("date", date.to_string()),
        ("quantity", line.quantity.to_string()),
        ("unit", line.unit.0.to_string()),
        ("currency", "USD".to_string()),
        ("price", line.price.to_string()),
        ("freight", line.freight.to_string()),
        ("insurance", line.insurance.to_string()),
        (
            "related",
            if line.related { "yes" } else { "no" }.to_string(),
        ),
    ] {
        form.set(name, value);
    }
    let unit_factor = UnitFactor {
        dimension: line.unit.1,
        factor: Decimal::ONE,
    };
    let invoice = Invoice {
        incoterm: Incoterm::Fob,
        currency: "USD".into(),
        price: Decimal::from(line.price),
        pre_carriage: Decimal::ZERO,
        freight: Decimal::from(line.freight),
        insurance: Decimal::from(line.insurance),
        additions: Additions::default(),
        post_import_costs: Decimal::ZERO,
        quantity: Decimal::from(line.quantity),
        unit: line.unit.0.into(),
        unit_factor,
        date,
    };
    let (band_unit, _) = line.unit.1.band_unit();
    let valuation = engine::value(
        &invoice,
        Basis::Cif,
        &RateTable::new("USD", 7),
        unit_factor,
        band_unit,
    )
    .map_err(|e| sqlx::Error::Protocol(format!("demo check: {e:?}")))?;
    let position = engine::position(valuation.unit_value, None);
    let evidence = evidence_for(position.level, &[], line.related, false);
    Ok((
        form,
        CheckOutcome {
            valuation,
            position,
            band: None,
            evidence,
            currency: "USD".into(),
            base_currency: "USD".into(),
            quantity: Decimal::from(line.quantity),
            unit: line.unit.0.into(),
        },
    ))
}

async fn save(
    pool: &PgPool,
    by: Saver,
    label: &str,
    line: &Line,
    today: NaiveDate,
) -> Result<documents::Assessment, sqlx::Error> {
    let (answers, outcome) = outcome(line, today)?;
    let reference = assessments::new_reference();
    assessments::insert(
        pool,
        &reference,
        &NewAssessment {
            owner: by.owner,
            saved_by_org: by.owner,
            created_by: by.user,
            label,
            answers: &answers,
            outcome: &outcome,
        },
    )
    .await?;
    documents::find_assessment(pool, &reference)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// Stores `title` as a one-page PDF through the upload pipeline, still to be completed.
pub async fn store_pdf(
    pool: &PgPool,
    owner: Uuid,
    title: &str,
    file_name: &str,
) -> Result<Received, sqlx::Error> {
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(pdf(title)))]);
    uploads::receive(pool, &DocumentSettings::default(), owner, file_name, body)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo document {file_name}: {e:?}")))
}

async fn attach(
    pool: &PgPool,
    by: Saver,
    assessment: &documents::Assessment,
    doc_type: DocType,
    title: &str,
    file_name: &str,
    confidential: bool,
) -> Result<(), sqlx::Error> {
    let received = store_pdf(pool, by.owner, title, file_name).await?;
    let mut tx = pool.begin().await?;
    documents::insert(
        &mut *tx,
        &documents::NewDocument {
            id: Uuid::new_v4(),
            assessment: assessment.id,
            blob_id: received.blob_id,
            library_id: None,
            doc_type,
            description: title,
            confidential,
            file_name,
            sha256: &received.sha256,
            supersedes: None,
            uploaded_by: by.user,
            uploaded_by_org: by.owner,
        },
    )
    .await?;
    app::server::blobs::complete(&mut tx, &received).await?;
    tx.commit().await
}

struct LibraryEntry {
    doc_type: DocType,
    title: &'static str,
    supplier: &'static str,
    tariff_codes: &'static [&'static str],
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
    file_name: &'static str,
}

async fn add_to_library(pool: &PgPool, by: Saver, entry: &LibraryEntry) -> Result<(), sqlx::Error> {
    let received = store_pdf(pool, by.owner, entry.title, entry.file_name).await?;
    let codes: Vec<String> = entry.tariff_codes.iter().map(|c| c.to_string()).collect();
    let mut tx = pool.begin().await?;
    library::insert(
        &mut *tx,
        &library::NewEntry {
            id: Uuid::new_v4(),
            owner: by.owner,
            blob_id: received.blob_id,
            doc_type: entry.doc_type,
            title: entry.title,
            supplier: entry.supplier,
            tariff_codes: &codes,
            valid_from: entry.valid_from,
            valid_until: entry.valid_until,
            file_name: entry.file_name,
            supersedes: None,
            created_by: by.user,
        },
    )
    .await?;
    app::server::blobs::complete(&mut tx, &received).await?;
    tx.commit().await
}

/// A one-page A4 PDF showing `title` in Helvetica. Written by hand because it is five fixed
/// objects and a cross-reference table: a PDF crate would be a large dependency for demo and
/// test files only. Characters outside Latin-1 become `?` (the standard fonts' WinAnsi
/// encoding); the text's bytes are escaped as PDF string syntax requires.
pub fn pdf(title: &str) -> Vec<u8> {
    let mut text = String::new();
    for c in title.chars() {
        match c {
            '(' | ')' | '\\' => {
                text.push('\\');
                text.push(c);
            }
            ' '..='~' => text.push(c),
            c if (c as u32) < 256 => text.push_str(&format!("\\{:03o}", c as u32)),
            _ => text.push('?'),
        }
    }
    let content = format!("BT /F1 18 Tf 72 770 Td ({text}) Tj ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::pdf;

    #[test]
    fn the_demo_pdf_has_a_header_a_cross_reference_at_its_offset_and_an_end() {
        let bytes = pdf("Factura (copia) Nº 12");
        assert!(bytes.starts_with(b"%PDF-1.4\n"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&bytes);
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(bytes[start..].starts_with(b"xref\n0 6\n"));
        assert!(text.contains("(Factura \\(copia\\) N\\272 12) Tj"));
    }
}
