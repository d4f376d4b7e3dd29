//! Pure domain logic shared by the browser (WASM) and the server: no I/O, no framework types.
//!
//! # Valuation rules
//!
//! The rules the portal applies, as this code implements them. They follow the WTO Agreement on
//! Implementation of Article VII of GATT 1994 (the Valuation Agreement), WTO Decision 6.1, the WCO
//! guidelines on valuation databases as a risk assessment tool and, for the default deployment,
//! SUNAT's valuation procedure DESPA-PE.01.10a. Where a rule differs between countries it is a
//! setting (see the README's settings table); the defaults are Peru's.
//!
//! ## Customs value basis
//!
//! The customs value is the transaction value (Method 1, Art. 1): the price paid or payable for
//! the goods sold for export, adjusted as below. The other methods (Art. 2 to 7) are not computed
//! here: they apply only once customs has set Method 1 aside, outside the portal. Art. 8.2 lets
//! each country decide whether transport and insurance up to the place of importation belong in
//! the value: [`engine::Basis::Cif`] (Peru and the Andean Community, the EU, the UK, India; the
//! default) or [`engine::Basis::Fob`] (the United States), chosen by `VALORA_VALUATION_BASIS`.
//!
//! ## Incoterms
//!
//! The Incoterm 2020 of the invoice ([`incoterm::Incoterm`]; DAT is refused, DPU replaced it)
//! says which legs the price already pays for; [`engine::lines`] turns it into rows of the
//! calculation, each added or taken out, in the invoice currency:
//!
//! | Incoterm | CIF basis | FOB basis |
//! |---|---|---|
//! | EXW, FCA, FAS | + carriage to the place of export, + international freight, + insurance | + carriage to the place of export |
//! | FOB | + freight, + insurance | nothing |
//! | CFR, CPT | + insurance | - freight |
//! | CIF, CIP | nothing | - freight, - insurance |
//! | DAP, DPU, DDP | nothing (costs after arrival are deducted, below) | - freight, - insurance |
//!
//! ## Art. 8.1 additions and deductions
//!
//! Whatever the Incoterm, the costs borne by the buyer and not already in the price are added
//! ([`engine::Additions`]): selling commissions and brokerage (not buying commissions), containers
//! and packing, assists apportioned to the goods, royalties and licence fees that are a condition
//! of sale, and proceeds of a later resale that accrue to the seller. Costs after importation that
//! are in the price and shown separately (inland carriage and unloading at destination, assembly,
//! duties and taxes under DDP) are taken out. A value that deductions bring to zero or below is
//! refused ([`engine::EngineError::NotPositive`]), and so is a quantity that is not above zero.
//!
//! ## Conversion and rounding
//!
//! Money is [`rust_decimal::Decimal`], never floating point ([`amount`]: at most 2 decimals typed,
//! never negative). The total in the invoice currency converts to the base currency
//! (`VALORA_BASE_CURRENCY`, USD in Peru) at the official rate of the filing date (Art. 9), quoted
//! as units of the currency per unit of the base, so the amount is divided by it
//! ([`exchange::RateTable`]). A date without its own rate takes the latest one before it, at most
//! `VALORA_RATE_MAX_AGE_DAYS` old; beyond that there is no rate, and no rate is an error, never a
//! guess. The result names the rate and its date. Rounding is one rule, applied once at the end:
//! half away from zero, to 2 places for money ([`valuation::round_money`]) and to 8 places for
//! unit values ([`records::UNIT_VALUE_SCALE`]). The quantity converts to the band unit of its
//! dimension ([`units`]: kg, unit, pair, litre, m², m) by the UN/ECE Recommendation 20 factors;
//! a unit of another dimension than the band's is refused, never converted.
//!
//! ## Guidance bands
//!
//! A band summarises accepted customs values of comparable goods as a unit value range, per
//! comparability key: tariff code at the configured level (`VALORA_BAND_CODE_LEVEL`, 6 digits by
//! default), origin and band unit, in one currency. Declaration records are converted once, at
//! import, exactly as a check converts ([`records`]). The statistics ([`bands`]) trim outliers on
//! the log of the unit values (beyond 3 IQR by default, `VALORA_BAND_IQR_FACTOR`), refuse to
//! publish under a minimum sample (10 kept values by default, `VALORA_BAND_MIN_SAMPLE`), and give
//! P10, P25, median, P75 and P90 by the type-7 rule of PostgreSQL's `percentile_cont`, so the same
//! records always give the same band. A published version never changes; a newer one replaces
//! the whole set from its effective date.
//!
//! **A band is a risk indicator, never a minimum or substitute value.** Decision 6.1 and the WCO
//! guidelines forbid setting a declared value aside only because it differs from a database;
//! the portal's wording never says "minimum price" or "rejected".
//!
//! ## Levels
//!
//! [`engine::position`] places a unit value in the band in force on the filing date
//! ([`engine::Level`]): well below the usual range (below P10), below (P10 to P25), usual (P25 to
//! P75), above (P75 to P90), well above (above P90: often a wrong unit, currency or quantity, and
//! the verdict says so), or no band (too few comparable declarations, which says nothing against
//! the value). It also estimates the value's percentile by straight lines between the published
//! figures.
//!
//! ## Evidence
//!
//! A low value is not a wrong one: quantity discounts, clearance sales, another quality or
//! commercial level explain it, and a related-party price can be tested under the WCO guide to
//! valuation and transfer pricing. [`evidence::evidence_for`] names what to keep ready: always
//! the commercial invoice, the contract or purchase order and the proof of payment; for a value
//! below P25 or without a band also the transport documents, the insurance certificate and the
//! supplier's price list; for a low value the document behind each reason the trader gives
//! ([`evidence::Reason`]); the transfer-pricing file for related parties; the licence agreement
//! when royalties are added.
//!
//! ## Supporting documents
//!
//! The evidence list becomes the documents an assessment asks for
//! ([`documents::suggested_types`]: one document type per piece of evidence, without repeats,
//! and the broker's letter of authority only when a broker acts). A document is final once the
//! trader submits it to customs: it is never altered or deleted, and a correction is a new version
//! that supersedes it, both kept. A library document is attachable from the first to the last day
//! of its validity ([`documents::Validity`]), and the library warns 30 days before its end.
//!
//! ## When customs doubts a value (Decision 6.1)
//!
//! The result of every check states the trader's rights: customs must first ask for an
//! explanation and documents; the answer is due within the deadline (late evidence carries no
//! weight in Peru); the grounds of the doubt can be asked for in writing; the goods may be
//! released against a guarantee meanwhile. The portal carries this procedure as a customs case
//! ([`cases`]): a request for information with written grounds, the document types asked for and
//! a due date in working days ([`working_days`]: weekends and the holidays kept by an
//! administrator skip; a filing counts on its day until 23:59 local time, on a day off it counts
//! on the next working day); one extension the officer grants or refuses; the answer (or "nothing
//! more to add"), kept and marked late when filed after the due date; and the outcome in writing:
//! doubt dispelled (the Method 1 value stands) or doubt confirmed (with the grounds and the next
//! method; the trader may appeal). Traders may also ask customs before filing (a trader query).
//! Evidence submitted in a case is never altered; a correction is a new version.

pub mod amount;
pub mod bands;
pub mod cases;
pub mod csv_rows;
pub mod documents;
pub mod engine;
pub mod evidence;
pub mod exchange;
pub mod incoterm;
pub mod nomenclature;
pub mod readable_ref;
pub mod records;
pub mod reference;
pub mod return_path;
pub mod search;
pub mod tax_id;
pub mod units;
pub mod valuation;
pub mod working_days;
