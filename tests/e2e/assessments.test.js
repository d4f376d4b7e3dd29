// Saved assessments and batch checks in a real browser: run a check signed in, review the
// answers, save it, find it in the list, reopen and print it (A4), with JavaScript and without;
// upload an invoice and download its results. axe finds nothing, in Spanish and in English.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, garlicOrigin, openPage as openPageIn, signIn as signInAt, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const openPage = (options = {}) => openPageIn(env.browser, options);
const signIn = (page, email, javaScript = true) => signInAt(page, env.server.base, email, { javaScript });
async function runCheck(page, javaScript = true) {
  const origin = await garlicOrigin(page, env.server.base);
  await page.goto(`${env.server.base}/check`);
  if (javaScript) await ready(page);
  await page.fill('#hs', '0703.20.00.00');
  await page.selectOption('#origin', origin);
  await page.selectOption('#incoterm', 'CIF');
  await page.fill('#quantity', '500');
  await page.selectOption('#unit', 'KGM');
  await page.selectOption('#currency', 'USD');
  await page.fill('#price', '700');
  await Promise.all([page.waitForURL(/\/check\?/), page.click('form.check-form button[type="submit"]')]);
  await page.waitForSelector('#result');
  assert.equal(await page.textContent('#customs-value'), 'USD 700.00');
}

async function save(page, label) {
  // Check your answers: every answer can be changed; the link goes back to its question.
  assert.ok((await page.locator('#answers .summary-list__row').count()) >= 18);
  assert.equal(await page.getAttribute('#answers a[href="#price"]', 'href'), '#price');
  await page.fill('#label', label);
  await Promise.all([page.waitForURL(/\/assessments\/VAL-/), page.click('.save-box button[type="submit"]')]);
  await page.waitForSelector('#reference');
  const reference = (await page.textContent('#reference')).trim();
  assert.match(reference, /^VAL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(await page.textContent('#customs-value'), 'USD 700.00');
  return reference;
}

// axe runs inside the page, so only where JavaScript is on.
async function findInList(page, reference, label, javaScript = true) {
  await page.goto(`${env.server.base}/assessments?q=${encodeURIComponent(label)}`);
  await page.waitForSelector('#assessments');
  assert.equal(await page.locator(`#assessments a[href="/assessments/${reference}"]`).count(), 1);
  if (javaScript) assert.deepEqual(await axeViolations(page), []);
  await page.goto(`${env.server.base}/assessments?q=nothing-like-this`);
  await page.waitForSelector('#assessments-none');
}

async function printsOnA4(page) {
  await page.emulateMedia({ media: 'print' });
  for (const selector of ['header.header', 'footer', '.button-group', '.save-box']) {
    const shown = await page.locator(selector).evaluateAll((nodes) => nodes.some((n) => getComputedStyle(n).display !== 'none'));
    assert.equal(shown, false, `${selector} is not printed`);
  }
  assert.ok(await page.locator('#result svg').isVisible(), 'the band picture is printed');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 4, `printed on ${pages} A4 pages`);
  await page.emulateMedia({ media: 'screen' });
}

describe('saved assessments with JavaScript', () => {
  test('run, review, save, list, reopen, duplicate and print, in both languages', async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, 'ana.admin@importadora.demo');
    await runCheck(page);
    assert.deepEqual(await axeViolations(page), []);
    const reference = await save(page, 'PEDIDO-JS-1');
    await ready(page);
    assert.deepEqual(await axeViolations(page), []);
    assert.ok(await page.locator('#print').isVisible(), 'the print button appears with JavaScript');
    await printsOnA4(page);
    await page.click('a[hreflang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('#reference');
    assert.deepEqual(await axeViolations(page), []);
    await findInList(page, reference, 'pedido-js');
    // Duplicate: a new check with the same answers.
    await page.goto(`${env.server.base}/assessments/${reference}`);
    await Promise.all([page.waitForURL(/\/check\?/), page.click('#duplicate')]);
    await page.waitForSelector('#result');
    assert.equal(await page.inputValue('#price'), '700');
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('saved assessments without JavaScript', () => {
  test('the same journey with posts and redirects', async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    await signIn(page, 'carlos.cumplimiento@importadora.demo', false);
    await runCheck(page, false);
    const reference = await save(page, 'PEDIDO-SIN-JS');
    assert.equal(await page.locator('#print').count(), 0, 'no dead print button without JavaScript');
    await printsOnA4(page);
    await findInList(page, reference, 'PEDIDO-SIN-JS', false);
    await context.close();
  });

});

describe('batch checks', () => {
  // The upload is a plain multipart form (no script involved); JavaScript stays on for axe.
  test('a batch upload gives a results table and a CSV', async () => {
    const { context, page } = await openPage({ acceptDownloads: true });
    await signIn(page, 'carlos.cumplimiento@importadora.demo');
    const origin = await garlicOrigin(page, env.server.base);
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${env.server.base}/check/batch`);
    assert.deepEqual(await axeViolations(page), []);
    const csv = [
      'hs,origin,incoterm,date,quantity,unit,currency,price',
      `070320,${origin},FOB,${today},1000,KGM,USD,900`,
      `070320,XX,FOB,${today},1000,KGM,USD,900`,
    ].join('\n');
    await page.setInputFiles('#file', { name: 'factura.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL(/\/check\/batch\/VAL-/), page.click('#upload button[type="submit"]')]);
    assert.equal((await page.textContent('#line-count')).trim(), '2');
    assert.equal((await page.textContent('#error-count')).trim(), '1');
    assert.equal(await page.locator('#results tbody tr').count(), 2);
    assert.deepEqual(await axeViolations(page), []);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^line,hs,origin/);
    assert.match(lines[2], /^3,070320,XX,.*origin:/);
    // A file that is not an invoice comes back with the reason.
    await page.goto(`${env.server.base}/check/batch?lang=en`);
    await page.setInputFiles('#file', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n') });
    await Promise.all([page.waitForURL(/error=not_a_table/), page.click('#upload button[type="submit"]')]);
    assert.match(await page.textContent('#file-error'), /neither a CSV nor an XLSX/);
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });
});
