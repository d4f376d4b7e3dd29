// Supporting documents in a real browser: save an assessment, attach an invoice and a contract,
// add a price list to the company library and attach it, submit, and check the receipt's
// SHA-256 fingerprints against the files; the same invoice again is refused as a duplicate
// naming the original. With JavaScript (each file its own request, with a progress list and no
// page load) and without (plain posts and redirects), in Spanish and in English; axe finds
// nothing on any page (pages of the no-JavaScript journey are checked as served, scripts held back).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, garlicOrigin, openPage as openPageIn, pdf, signIn as signInAt, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const openPage = (options = {}) => openPageIn(env.browser, options);
const signIn = (page, email, javaScript = true) => signInAt(page, env.server.base, email, { javaScript });
const ADMIN = 'ana.admin@importadora.demo';

/// Writes the journey's files (distinct content per `tag`) to a fresh folder.
function makeFiles(tag) {
  const dir = mkdtempSync(join(tmpdir(), 'valora-docs-'));
  const files = {};
  for (const [key, name, text] of [
    ['invoice', `factura-${tag}.pdf`, `Factura comercial ${tag} USD 700`],
    ['contract', `contrato-${tag}.pdf`, `Contrato de compraventa ${tag}`],
    ['priceList', `lista-precios-${tag}.pdf`, `Lista de precios 2026 ${tag}`],
  ]) {
    const bytes = pdf(text);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    files[key] = { name, path, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  // The invoice's very bytes under another name: a duplicate.
  const copy = join(dir, `copia-${tag}.pdf`);
  writeFileSync(copy, pdf(`Factura comercial ${tag} USD 700`));
  files.copy = { name: `copia-${tag}.pdf`, path: copy };
  return { dir, files };
}

async function hydrated(page, javaScript) {
  if (javaScript) await ready(page);
}

async function saveAssessment(page, label, javaScript) {
  const origin = await garlicOrigin(page, env.server.base);
  await page.goto(`${env.server.base}/check`);
  await hydrated(page, javaScript);
  await page.fill('#hs', '0703.20.00.00');
  await page.selectOption('#origin', origin);
  await page.selectOption('#incoterm', 'CIF');
  await page.fill('#quantity', '500');
  await page.selectOption('#unit', 'KGM');
  await page.selectOption('#currency', 'USD');
  await page.fill('#price', '700');
  await Promise.all([page.waitForURL(/\/check\?/), page.click('form.check-form button[type="submit"]')]);
  await page.waitForSelector('#result');
  await page.fill('#label', label);
  await Promise.all([page.waitForURL(/\/assessments\/VAL-/), page.click('.save-box button[type="submit"]')]);
  await page.waitForSelector('#documents');
  return (await page.textContent('#reference')).trim();
}

/// axe on a page as served without JavaScript: the same address, in a context with the same
/// cookies, with the page's scripts held back (axe itself runs through the test driver).
async function axeAsServed(context, url) {
  const served = await env.browser.newContext({ storageState: await context.storageState() });
  const page = await served.newPage();
  await page.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  await page.goto(url);
  const violations = await axeViolations(page);
  await served.close();
  return violations;
}

/// Waits until the document table lists `name` (after a script's update or a page load).
async function listed(page, name) {
  await page.waitForSelector(`#documents-table td.documents-table__file a:text-is("${name}")`);
}

/// The document table's file names.
async function listedFiles(page) {
  return page.locator('#documents-table tbody td.documents-table__file a').allTextContents();
}

async function fillUpload(page, docType, description, paths) {
  await page.selectOption('#doc_type', docType);
  await page.fill('#description', description);
  await page.check('#confidentiality-normal');
  await page.setInputFiles('#files', paths);
}

async function addToLibrary(page, base, files, title, javaScript, check) {
  await page.goto(`${base}/library`);
  await hydrated(page, javaScript);
  await check(page);
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  await page.selectOption('#doc_type', 'price_list');
  await page.fill('#title', title);
  await page.fill('#supplier', 'Agroexport S.A.');
  await page.fill('#tariff_codes', '0703.20');
  await page.fill('#valid_from', today);
  await page.fill('#valid_until', nextYear);
  await page.setInputFiles('#file', files.priceList.path);
  await Promise.all([page.waitForURL(/\/library\?added=1/), page.click('#add button[type="submit"]')]);
  await page.waitForSelector('#library-added');
  assert.ok((await page.locator('#library tbody tr').allTextContents()).some((row) => row.includes(title)));
  await check(page);
}

async function attachFromLibrary(page, title) {
  const value = await page.locator('#library_id option', { hasText: title }).first().getAttribute('value');
  assert.ok(value, 'the library document is offered');
  await page.selectOption('#library_id', value);
  await page.fill('#library_description', 'Lista de precios del proveedor');
  await page.click('#attach button[type="submit"]');
}

/// The receipt's rows as { name: sha256 }.
async function receiptRows(page) {
  const count = await page.locator('#receipt tbody tr').count();
  const rows = {};
  for (let n = 1; n <= count; n++) {
    rows[(await page.textContent(`#receipt-name-${n}`)).trim()] = (await page.textContent(`#receipt-sha-${n}`)).trim();
  }
  return rows;
}

function assertFingerprints(rows, files) {
  assert.deepEqual(rows, {
    [files.invoice.name]: files.invoice.sha256,
    [files.contract.name]: files.contract.sha256,
    [files.priceList.name]: files.priceList.sha256,
  });
}

describe('supporting documents with JavaScript', () => {
  test('upload with progress, library, submit and receipt in Spanish, a duplicate refused in English', async () => {
    const { dir, files } = makeFiles('js');
    const base = env.server.base;
    // The declaration left unticked is answered 400 with its field error, as designed.
    const { context, page, problems } = await openPageIn(env.browser, {}, (response) => response.status() === 400 && response.url().endsWith('/api/submit-documents'));
    await signIn(page, ADMIN);
    const reference = await saveAssessment(page, 'DOCS-JS', true);
    await hydrated(page, true);
    assert.equal(await page.locator('#documents-none').count(), 1);
    assert.ok((await page.locator('#suggested li').count()) >= 1, 'the types the assessment calls for');
    // The hint states the limits from the settings.
    assert.match(await page.textContent('#files-hint'), /20 MB.*20 documentos.*PDF, JPEG/s);
    assert.deepEqual(await axeViolations(page), []);

    // Each file goes in its own request; the list reaches "accepted" without a page load.
    await page.evaluate(() => { window.stillTheSamePage = true; });
    await fillUpload(page, 'invoice', 'Factura 2026-118 del proveedor', [files.invoice.path]);
    await page.click('#upload button[type="submit"]');
    await page.waitForSelector('#upload-list li[data-state="accepted"]');
    await listed(page, files.invoice.name);
    await fillUpload(page, 'contract', 'Contrato de compraventa 2026', [files.contract.path]);
    await page.click('#upload button[type="submit"]');
    await listed(page, files.contract.name);
    assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no page load');
    assert.equal(await page.locator('#upload-list progress').count(), 1);
    assert.equal(await page.locator('#suggested li[data-type="invoice"][data-present="true"]').count(), 1);
    assert.deepEqual(await axeViolations(page), []);

    // A price list into the library (the importer's admin manages it), then attached.
    await addToLibrary(page, base, files, 'Lista de precios 2026 (JS)', true, async (p) => assert.deepEqual(await axeViolations(p), []));
    await page.goto(`${base}/assessments/${reference}`);
    await hydrated(page, true);
    await attachFromLibrary(page, 'Lista de precios 2026 (JS)');
    await listed(page, files.priceList.name);
    assert.deepEqual((await listedFiles(page)).sort(), [files.contract.name, files.invoice.name, files.priceList.name].sort());

    // Check your answers, the declaration, then the receipt.
    await Promise.all([page.waitForURL(/\/submit$/), page.click('#submit-documents')]);
    await page.waitForSelector('#documents .summary-list__row');
    assert.equal(await page.locator('#documents .summary-list__row').count(), 3);
    assert.deepEqual(await axeViolations(page), []);
    await page.click('#submit-form button[type="submit"]');
    await page.waitForSelector('.error-summary a[href="#confirm"]');
    assert.deepEqual(await axeViolations(page), []);
    await page.check('#confirm');
    await Promise.all([page.waitForURL(/\/receipt$/), page.click('#submit-form button[type="submit"]')]);
    await page.waitForSelector('#receipt tbody tr');
    assert.equal((await page.textContent('#receipt-reference')).trim(), reference);
    assertFingerprints(await receiptRows(page), files);
    await hydrated(page, true);
    assert.ok(await page.locator('#print').isVisible(), 'the print button appears with JavaScript');
    assert.deepEqual(await axeViolations(page), []);

    // In English: the receipt, then the same invoice under another name, refused as a duplicate.
    await page.click('a[hreflang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('#receipt tbody tr');
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${base}/assessments/${reference}`);
    await hydrated(page, true);
    assert.equal(await page.locator('#documents-table tr[data-state="submitted"]').count(), 3);
    await fillUpload(page, 'invoice', 'The invoice again', [files.copy.path]);
    await page.click('#upload button[type="submit"]');
    await page.waitForSelector('#upload-list li[data-state="refused"]');
    const refusal = await page.textContent('#upload-list li[data-state="refused"] .upload-list__state');
    assert.ok(refusal.includes(files.invoice.name), `the refusal names the original: ${refusal}`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();

    // Customs staff see the submitted documents, and no forms.
    const officer = await openPage();
    await signIn(officer.page, 'olga.oficial@sunat.demo');
    await officer.page.goto(`${base}/assessments/${reference}`);
    await officer.page.waitForSelector('#documents-table');
    assert.equal(await officer.page.locator('#upload').count(), 0);
    assert.equal(await officer.page.locator('#documents-table tbody tr').count(), 3);
    assert.deepEqual(await axeViolations(officer.page), []);
    await officer.context.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('supporting documents without JavaScript', () => {
  test('the same journey with posts and redirects, in English then Spanish', async () => {
    const { dir, files } = makeFiles('nojs');
    const base = env.server.base;
    const { context, page } = await openPage({ javaScriptEnabled: false });
    const checkServed = async (p) => assert.deepEqual(await axeAsServed(context, p.url()), []);
    await signIn(page, ADMIN, false);
    await page.goto(`${base}/assessments?lang=en`);
    const reference = await saveAssessment(page, 'DOCS-NOJS', false);
    await checkServed(page);

    // A wrong form comes back with its errors; then each file is posted and listed.
    await page.selectOption('#doc_type', '');
    await page.setInputFiles('#files', files.invoice.path);
    await Promise.all([page.waitForURL(/error=/), page.click('#upload button[type="submit"]')]);
    assert.equal(await page.locator('.error-summary a[href="#doc_type"]').count(), 1);
    assert.equal(await page.locator('.error-summary a[href="#description"]').count(), 1);
    await checkServed(page);
    await fillUpload(page, 'invoice', 'Supplier invoice 2026-118', [files.invoice.path]);
    await Promise.all([page.waitForURL(/accepted=1/), page.click('#upload button[type="submit"]')]);
    assert.match(await page.textContent('#upload-accepted'), /1 file was attached/);
    await checkServed(page);
    await fillUpload(page, 'contract', 'Sales contract 2026', [files.contract.path]);
    await page.click('#upload button[type="submit"]');
    await listed(page, files.contract.name);

    await addToLibrary(page, base, files, 'Price list 2026 (no JS)', false, checkServed);
    await page.goto(`${base}/assessments/${reference}`);
    await attachFromLibrary(page, 'Price list 2026 (no JS)');
    await listed(page, files.priceList.name);
    assert.deepEqual((await listedFiles(page)).sort(), [files.contract.name, files.invoice.name, files.priceList.name].sort());

    await Promise.all([page.waitForURL(/\/submit$/), page.click('#submit-documents')]);
    assert.equal(await page.locator('#documents .summary-list__row').count(), 3);
    await checkServed(page);
    await page.click('#submit-form button[type="submit"]');
    await page.waitForSelector('.error-summary a[href="#confirm"]');
    await checkServed(page);
    await page.check('#confirm');
    await Promise.all([page.waitForURL(/\/receipt$/), page.click('#submit-form button[type="submit"]')]);
    assertFingerprints(await receiptRows(page), files);
    assert.equal(await page.locator('#print').count(), 0, 'no dead print button without JavaScript');
    await checkServed(page);

    // In Spanish: the duplicate comes back in the address and names the original.
    await page.goto(`${base}/assessments/${reference}?lang=es`);
    await fillUpload(page, 'invoice', 'La factura otra vez', [files.copy.path]);
    await Promise.all([page.waitForURL(/r=duplicate/), page.click('#upload button[type="submit"]')]);
    const summary = await page.textContent('.error-summary');
    assert.ok(summary.includes(files.copy.name) && summary.includes(files.invoice.name), `the refusal names both files: ${summary}`);
    assert.equal(await page.getAttribute('.error-summary a[href="#files"]', 'href'), '#files');
    await checkServed(page);
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
