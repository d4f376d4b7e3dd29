// Customs cases in a real browser, the whole loop: the demo importer saves an assessment,
// attaches its invoice, submits it and opens a query on it; the demo officer finds it in the
// "unassigned" tray, takes it and issues a request for information with a due date; the
// importer asks for an extension, the officer grants it with a new due date; the importer
// answers with a contract; the officer records "doubt dispelled"; both sides open and download
// the notices; the emails reach the importer through a real SMTP server with the case reference
// and a link but none of the text typed. With JavaScript and without (plain posts and
// redirects), in Spanish and English; axe finds nothing on any page (checked as served).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { axeViolations, garlicOrigin, openPage as openPageIn, pdf, signIn as signInAt, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const ADMIN = 'ana.admin@importadora.demo';
const OFFICER = 'olga.oficial@sunat.demo';
const STEP_TIMEOUT = 20_000;

/// Every catalogue of a language in one object (keys are unique across namespaces), so the test
/// finds buttons, links and states by the words the pages show.
function catalogue(lang) {
  const dir = resolve(import.meta.dirname, '..', '..', 'app', 'locales', lang);
  const all = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    Object.assign(all, JSON.parse(readFileSync(join(dir, name), 'utf8')));
  }
  return all;
}
const TEXT = { es: catalogue('es'), en: catalogue('en') };
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/// A pattern for a label with a count, e.g. "Sin asignar ({count})".
const startsWith = (template) => new RegExp(`^\\s*${escapeRe(template.split('{')[0].trim())}`);

/// The journey's invoice and contract (distinct content per `tag`) in a fresh folder.
function makeFiles(tag) {
  const dir = mkdtempSync(join(tmpdir(), 'valora-cases-'));
  const files = {};
  for (const [key, name, text] of [
    ['invoice', `factura-caso-${tag}.pdf`, `Factura comercial caso ${tag} USD 700`],
    ['contract', `contrato-caso-${tag}.pdf`, `Contrato de compraventa caso ${tag}`],
  ]) {
    const bytes = pdf(text);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    files[key] = { name, path, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return { dir, files };
}

// Mails are parsed once each (the demo data writes many), by Python's email package.
const parsedMails = new Map();
function mailsTo(smtp, recipient) {
  if (!existsSync(smtp.dir)) return [];
  const names = readdirSync(smtp.dir).sort();
  const fresh = names.filter((n) => !parsedMails.has(n));
  if (fresh.length > 0) {
    const script = [
      'import email, email.policy, sys, json',
      'out = []',
      'for p in sys.argv[1:]:',
      '    m = email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)',
      '    out.append([str(m["To"]), str(m["Subject"]), m.get_body(("plain",)).get_content()])',
      'print(json.dumps(out))',
    ].join('\n');
    const parsed = JSON.parse(execFileSync('python3', ['-c', script, ...fresh.map((n) => join(smtp.dir, n))], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    fresh.forEach((name, i) => {
      const [to, subject, body] = parsed[i];
      parsedMails.set(name, { to, subject, body });
    });
  }
  return names.map((n) => parsedMails.get(n)).filter((m) => m.to.includes(recipient));
}

/// Waits until every subject in `subjects` (either language) has reached `recipient`.
async function waitForSubjects(smtp, recipient, reference, subjects) {
  let mails = [];
  for (let i = 0; i < 150; i++) {
    mails = mailsTo(smtp, recipient).filter((m) => m.subject.includes(reference));
    if (subjects.every((wanted) => mails.some((m) => wanted.includes(m.subject.trim())))) return mails;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.fail(`mails for ${reference} to ${recipient}: got ${JSON.stringify(mails.map((m) => m.subject))}`);
}

/// The date `days` calendar days after `iso` (YYYY-MM-DD).
function addDays(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const firstDate = (text) => {
  const m = /\d{4}-\d{2}-\d{2}/.exec(text ?? '');
  assert.ok(m, `a date in "${text}"`);
  return m[0];
};

/// One side of the loop: a browser context signed in as `email`, with or without JavaScript,
/// in `lang`; `check()` runs axe on the current page (as served when JavaScript is off).
async function side(email, { javaScript, lang }) {
  const { context, page, problems } = await openPageIn(env.browser, { javaScriptEnabled: javaScript });
  page.setDefaultTimeout(STEP_TIMEOUT);
  const base = env.server.base;
  await page.goto(`${base}/?lang=${lang}`);
  await signInAt(page, base, email, { javaScript });
  const self = {
    context,
    page,
    problems,
    async hydrated() {
      if (javaScript) await ready(page);
    },
    async goto(path) {
      await page.goto(`${base}${path}`);
      await self.hydrated();
    },
    async check(what) {
      let violations;
      if (javaScript) {
        violations = await axeViolations(page);
      } else {
        const served = await env.browser.newContext({ storageState: await context.storageState() });
        const copy = await served.newPage();
        await copy.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
        await copy.goto(page.url());
        violations = await axeViolations(copy);
        await served.close();
      }
      assert.deepEqual(violations, [], `axe on ${what} (${page.url()})`);
    },
    text: async (selector) => (await page.locator(selector).first().textContent({ timeout: STEP_TIMEOUT })).trim(),
  };
  return self;
}

/// Waits for a new step on the case page's timeline (after a script's navigation or a page load).
async function stepShown(page, kind, what) {
  try {
    await page.waitForSelector(`#timeline li[data-kind="${kind}"]`, { timeout: STEP_TIMEOUT });
  } catch (error) {
    // Tell a page that was not brought up to date from a step that was not made.
    await page.reload();
    const afterReload = await page.locator(`#timeline li[data-kind="${kind}"]`).count();
    throw new Error(`${what}: the case page at ${page.url()} shows no "${kind}" step on its timeline `
      + `(${error.message.split('\n')[0]}); after a reload it ${afterReload ? 'does: the page was not updated after the step' : 'still does not'}`);
  }
}

async function saveAssessment(trader, label) {
  const { page } = trader;
  const origin = await garlicOrigin(page, env.server.base);
  await trader.goto('/check');
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
  await trader.hydrated();
  return trader.text('#reference');
}

/// Attaches the invoice to the saved assessment and submits it (check your answers, declaration,
/// receipt).
async function submitInvoice(trader, reference, invoice, javaScript) {
  const { page } = trader;
  await page.selectOption('#doc_type', 'invoice');
  await page.fill('#description', 'Factura del proveedor');
  await page.check('#confidentiality-normal');
  await page.setInputFiles('#files', invoice.path);
  if (javaScript) {
    await page.click('#upload button[type="submit"]');
  } else {
    await Promise.all([page.waitForURL(/accepted=1/), page.click('#upload button[type="submit"]')]);
  }
  await page.waitForSelector(`#documents-table td.documents-table__file a:text-is("${invoice.name}")`);
  await trader.check('the assessment with its invoice');
  await Promise.all([page.waitForURL(/\/submit$/), page.click('#submit-documents')]);
  await page.waitForSelector('#submit-form');
  await trader.hydrated();
  await trader.check('check your answers');
  await page.check('#confirm');
  await Promise.all([page.waitForURL(/\/receipt$/), page.click('#submit-form button[type="submit"]')]);
  await page.waitForSelector('#receipt tbody tr');
  assert.equal(await trader.text('#receipt-reference'), reference);
  assert.equal(await trader.text('#receipt-sha-1'), invoice.sha256);
  await trader.check('the receipt');
}

/// The address of the notice of the first step of `kind` on the case page.
async function noticeHref(page, kind) {
  const href = await page.getAttribute(`#timeline li[data-kind="${kind}"] a[href*="/notices/"]`, 'href');
  assert.match(href ?? '', /^\/cases\/CAS-[^/]+\/notices\/\d+$/, `the ${kind} step links to its notice`);
  return href;
}

// The steps whose notifications go to the importer's side.
const NOTIFIED = new Set(['sent', 'request_issued', 'extension_granted', 'outcome']);

/// Opens every notice listed in `expect` ({ kind: [texts the notice shows] }), checks it, and
/// downloads it (the page as a file, and printed to PDF).
async function readNotices(who, reference, expect) {
  const { page, context } = who;
  await who.goto(`/cases/${reference}`);
  await page.waitForSelector('#timeline');
  const hrefs = {};
  for (const kind of Object.keys(expect)) hrefs[kind] = await noticeHref(page, kind);
  for (const [kind, texts] of Object.entries(expect)) {
    await who.goto(hrefs[kind]);
    await page.waitForSelector('#notice');
    const notice = await page.textContent('#notice');
    assert.ok((await page.textContent('#notice h1')).includes(reference), `the ${kind} notice names the case`);
    for (const text of texts) assert.ok(notice.includes(text), `the ${kind} notice shows "${text}": ${notice}`);
    if (NOTIFIED.has(kind)) {
      assert.ok((await page.textContent('#notice-recipients')).includes(ADMIN), `the ${kind} notice names the importer among its recipients`);
    }
    await who.check(`the ${kind} notice`);
    const file = await context.request.get(`${env.server.base}${hrefs[kind]}`);
    assert.equal(file.status(), 200);
    assert.ok((await file.text()).includes(reference), `the downloaded ${kind} notice names the case`);
  }
  // The printable record, as the browser prints it.
  await who.goto(hrefs.outcome);
  await page.waitForSelector('#notice');
  const printed = await page.pdf({ format: 'A4' });
  assert.equal(printed.subarray(0, 5).toString('latin1'), '%PDF-');
}

async function journey({ javaScript, lang }) {
  const L = TEXT[lang];
  const tag = `${javaScript ? 'js' : 'nojs'}${lang}`;
  const started = Date.now();
  const { dir, files } = makeFiles(tag);
  // Phrases typed in the forms; none may appear in a mail.
  const typed = {
    query: `Consulta reservada zafiro ${tag}: precio pactado con el proveedor`,
    grounds: `Fundamento reservado rubí ${tag}: precio inferior a la banda`,
    reason: `Motivo reservado ópalo ${tag}: el proveedor envía el contrato`,
    grant: `Concesión reservada jade ${tag}`,
    answer: `Respuesta reservada ámbar ${tag}: adjuntamos el contrato firmado`,
    outcome: `Resultado reservado topacio ${tag}: el contrato justifica el precio`,
  };
  const token = `ajocaso${tag}`;

  // The importer: an assessment, its invoice submitted, then a query on it.
  const trader = await side(ADMIN, { javaScript, lang });
  const tp = trader.page;
  const assessment = await saveAssessment(trader, `CASO-${tag.toUpperCase()}`);
  await trader.check('the saved assessment');
  await submitInvoice(trader, assessment, files.invoice, javaScript);

  await trader.goto(`/cases/new?assessment=${assessment}`);
  await tp.waitForSelector('#open-query');
  assert.equal(await tp.inputValue('#assessment'), assessment, 'the assessment is preselected');
  assert.match(await tp.textContent('#category'), /\d/, 'each category shows its response time');
  await trader.check('the new query form');
  await tp.getByLabel(L.CasesSubjectLabel, { exact: true }).fill(`Valor del ajo ${token}`);
  await tp.check('#category-valuation');
  await tp.locator('#body').fill(typed.query);
  await Promise.all([
    tp.waitForURL(/\/cases\/CAS-[^/]+$/),
    tp.locator('#open-query').getByRole('button', { name: L.CasesSendButton, exact: true }).click(),
  ]);
  await tp.waitForSelector('#case-reference');
  const reference = await trader.text('#case-reference');
  assert.match(reference, /^CAS-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(await trader.text('#case-state'), L.TraderStateSent);
  assert.equal(await trader.text('#case-assessment'), assessment);
  assert.match(await trader.text('#response-days'), /\d+/, 'the response time is shown on the case');
  await tp.waitForSelector(`#thread a:text-is("${files.invoice.name}")`);
  await stepShown(tp, 'sent', 'the query sent');
  await trader.check('the case as sent');
  // The company's list of cases has it, in the trader's words.
  await trader.goto('/cases');
  const listed = tp.locator('#cases tbody tr', { has: tp.locator(`a[href="/cases/${reference}"]`) });
  await listed.waitFor();
  assert.ok((await listed.textContent()).includes(L.TraderStateSent));
  await trader.check('the list of cases');

  // The officer finds it in the unassigned tray and takes it.
  const officer = await side(OFFICER, { javaScript, lang });
  const op = officer.page;
  await officer.goto('/customs/cases');
  await op.waitForSelector('#queue-tabs');
  await officer.check('the queue');
  await Promise.all([
    op.waitForURL(/tab=unassigned/),
    op.getByRole('navigation', { name: L.CwTabsLabel }).getByRole('link', { name: startsWith(L.CwTabUnassigned) }).click(),
  ]);
  await op.waitForSelector('#tab-unassigned[aria-current="page"]');
  await officer.hydrated();
  await op.getByLabel(L.CwFilterWords, { exact: true }).fill(token);
  await Promise.all([
    op.waitForURL(/words=/),
    op.locator('#queue-filter').getByRole('button', { name: L.FilterApply, exact: true }).click(),
  ]);
  const row = op.locator(`#queue tr#case-${reference}`);
  await row.waitFor();
  assert.ok((await row.textContent()).includes(L.CwUnassigned), 'the row shows it unassigned');
  assert.equal(await op.locator('#queue tbody tr').count(), 1, 'the words find this case only');
  await officer.check('the unassigned tray filtered');
  await Promise.all([op.waitForURL(new RegExp(`/cases/${reference}$`)), row.getByRole('link', { name: reference }).click()]);
  await op.waitForSelector('#customs-panel');
  await officer.hydrated();
  assert.equal(await officer.text('#case-assessment'), assessment, 'the officer sees the saved assessment');
  await op.waitForSelector(`#thread a:text-is("${files.invoice.name}")`);
  await op.waitForSelector('#take-form');
  await officer.check('the case for the officer');
  await op.locator('#take-form').getByRole('button', { name: L.CwTakeButton, exact: true }).click();
  await stepShown(op, 'assigned', 'the officer took the case');
  assert.equal(await officer.text('#case-state'), L.CaseStateInProgress);
  await op.waitForSelector('#request-form');
  await officer.check('the case taken');

  // A request for information: grounds, the contract requested, a due date in working days.
  const due = firstDate(await officer.text('#request-due-rule'));
  await op.locator('#request-grounds').fill(typed.grounds);
  await op.locator('#request-form').getByLabel(L.DocTypeContract, { exact: true }).check();
  await op.locator('#request-form').getByRole('button', { name: L.CwIssueRequestButton, exact: true }).click();
  await stepShown(op, 'request_issued', 'the request issued');
  assert.equal(await officer.text('#request .request-due'), due, 'the due date announced is the one set');
  assert.equal(await officer.text('#case-state'), L.CaseStateAwaitingTrader);
  await officer.check('the case awaiting the trader');

  // The importer sees the request and asks for the extension.
  await trader.goto(`/cases/${reference}`);
  await tp.waitForSelector('#request');
  assert.equal(await trader.text('#case-state'), L.TraderStateInformationRequested);
  const request = await tp.textContent('#request');
  assert.ok(request.includes(typed.grounds), 'the grounds are shown to the importer');
  assert.ok(request.includes(L.DocTypeContract), 'the requested document type is shown');
  assert.equal(await trader.text('#request .request-due'), due);
  assert.ok((await trader.text('#case-due')).includes(due));
  await trader.check('the request for information');
  await tp.locator('#ask-extension').getByLabel(L.CasesReasonLabel, { exact: true }).fill(typed.reason);
  await tp.locator('#ask-extension').getByRole('button', { name: L.CasesAskExtensionButton, exact: true }).click();
  await stepShown(tp, 'extension_asked', 'the extension asked');
  assert.equal(await trader.text('#request .extension-status'), L.CasesExtensionPending);
  assert.equal(await tp.locator('#ask-extension').count(), 0, 'one extension only');
  await trader.check('the extension asked');

  // The officer grants it with a new due date.
  const extended = addDays(due, 3);
  await officer.goto(`/cases/${reference}`);
  await op.waitForSelector('#extension-form');
  await officer.check('the extension to decide');
  await op.locator('#extension-form').getByLabel(L.CwExtensionGrant, { exact: true }).check();
  await op.locator('#extension-due_on').fill(extended);
  await op.locator('#extension-reason').fill(typed.grant);
  await op.locator('#extension-form').getByRole('button', { name: L.CwExtensionButton, exact: true }).click();
  await stepShown(op, 'extension_granted', 'the extension granted');
  assert.equal(await officer.text('#request .extension-status'), fill(L.CasesExtensionGrantedUntil, { due: extended }));
  await officer.check('the extension granted');

  // The importer answers with the contract, uploaded in the message form.
  await trader.goto(`/cases/${reference}`);
  await tp.waitForSelector('#message-form');
  assert.equal(await trader.text('#request .extension-status'), fill(L.CasesExtensionGrantedUntil, { due: extended }));
  assert.ok((await trader.text('#case-due')).includes(extended), 'the new due date is in force');
  await trader.check('the extension granted, for the importer');
  const form = tp.locator('#message-form');
  await form.getByLabel(L.CasesPurposeAnswer, { exact: true }).check();
  await form.getByLabel(L.CasesBodyLabel, { exact: true }).fill(typed.answer);
  await form.getByLabel(L.CasesDocTypeLabel, { exact: true }).selectOption('contract');
  await form.getByLabel(L.CasesFilesLabel, { exact: true }).setInputFiles(files.contract.path);
  await Promise.all([
    tp.waitForURL(new RegExp(`/cases/${reference}#thread$`)),
    form.getByRole('button', { name: L.CasesSendMessage, exact: true }).click(),
  ]);
  await stepShown(tp, 'answer_received', 'the answer sent');
  assert.equal(await trader.text('#case-state'), L.TraderStateInReview);
  await tp.waitForSelector(`#thread a:text-is("${files.contract.name}")`);
  assert.equal(await tp.locator('#request .tag--late').count(), 0, 'answered on time');
  await trader.check('the answer sent');

  // The officer reads the answer, downloads the contract and records "doubt dispelled".
  await officer.goto(`/cases/${reference}`);
  await op.waitForSelector('#outcome-form');
  assert.equal(await officer.text('#case-state'), L.CaseStateUnderReview);
  assert.ok((await op.textContent('#thread')).includes(typed.answer));
  const contractHref = await op.getAttribute(`#thread a:text-is("${files.contract.name}")`, 'href');
  const download = await officer.context.request.get(`${env.server.base}${contractHref}`);
  assert.equal(download.status(), 200);
  assert.equal(createHash('sha256').update(await download.body()).digest('hex'), files.contract.sha256, 'the contract as uploaded');
  await officer.check('the answer under review');
  const outcomeForm = op.locator('#outcome-form');
  await outcomeForm.getByLabel(L.OutcomeDispelled, { exact: true }).check();
  await outcomeForm.getByLabel(L.CwOutcomeGroundsLabel, { exact: true }).fill(typed.outcome);
  await outcomeForm.getByRole('button', { name: L.CwOutcomeButton, exact: true }).click();
  await stepShown(op, 'outcome', 'the outcome recorded');
  assert.equal(await officer.text('#case-state'), L.CaseStateClosed);
  assert.ok((await op.textContent('#outcome')).includes(L.OutcomeDispelled));
  assert.equal(await op.locator('#outcome-form').count(), 0, 'a closed case has no outcome form');
  await officer.check('the case closed');

  // The importer sees it resolved, with the grounds and no appeal notice (the doubt is dispelled).
  await trader.goto(`/cases/${reference}`);
  await tp.waitForSelector('#outcome');
  assert.equal(await trader.text('#case-state'), L.TraderStateResolved);
  const outcome = await tp.textContent('#outcome');
  assert.ok(outcome.includes(L.OutcomeDispelled) && outcome.includes(typed.outcome));
  assert.equal(await tp.locator('#appeal').count(), 0);
  assert.equal(await tp.locator('#message-form').count(), 0, 'a resolved case takes no more messages');
  await trader.check('the case resolved');

  // Both sides open and download the notices.
  const notices = {
    sent: [typed.query, files.invoice.sha256],
    request_issued: [typed.grounds, due],
    extension_granted: [extended, typed.grant],
    answer_received: [typed.answer, files.contract.sha256],
    outcome: [typed.outcome, L.OutcomeDispelled],
  };
  await readNotices(trader, reference, notices);
  await readNotices(officer, reference, notices);

  // The mails: the reference and a link, never the words typed.
  const subjects = ['NotifySubjectSent', 'NotifySubjectRequestIssued', 'NotifySubjectExtensionGranted', 'NotifySubjectOutcome']
    .map((key) => [fill(TEXT.es[key], { reference }), fill(TEXT.en[key], { reference })]);
  const mails = await waitForSubjects(env.server.smtp, ADMIN, reference, subjects);
  for (const mail of mails) {
    assert.ok(mail.body.includes(`${env.server.base}/cases/${reference}`), `a link to the case: ${mail.body}`);
    for (const phrase of Object.values(typed)) {
      const words = phrase.split(':')[0];
      assert.ok(!mail.subject.includes(words) && !mail.body.includes(words), `"${words}" is not in the mail "${mail.subject}"`);
    }
    for (const file of Object.values(files)) assert.ok(!mail.body.includes(file.sha256) && !mail.body.includes(file.name));
  }

  assert.deepEqual(trader.problems, [], 'no script errors or failed loads for the importer');
  assert.deepEqual(officer.problems, [], 'no script errors or failed loads for the officer');
  await trader.context.close();
  await officer.context.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`# case loop ${tag}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

describe('the customs case loop', () => {
  test('with JavaScript in Spanish: query, take, request, extension, answer, doubt dispelled, notices and mails', () =>
    journey({ javaScript: true, lang: 'es' }));
  test('without JavaScript in English: the same loop', () => journey({ javaScript: false, lang: 'en' }));
  test('with JavaScript in English: the same loop', () => journey({ javaScript: true, lang: 'en' }));
  test('without JavaScript in Spanish: the same loop', () => journey({ javaScript: false, lang: 'es' }));
});
