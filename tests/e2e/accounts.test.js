import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, DEMO_PASSWORD, signIn as signInAt, waitForMail, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const signIn = (page, email, password) => signInAt(page, env.server.base, email, { password });

const PASSWORD = 'caballo grapa batería correcta';

async function newPage(options = {}) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

async function hydrated(page) {
  await ready(page);
}

describe('accounts in the browser', () => {
  test('register, verify from the email, sign in and sign out', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${env.server.base}/register`);
    await hydrated(page);
    await page.click('main button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.ok((await page.locator('.error-summary li').count()) >= 5, 'every empty field is named');
    assert.deepEqual(await axeViolations(page), []);

    await page.check('#org_kind-importer');
    await page.fill('#org_name', 'Textiles del Sur S.A.');
    await page.fill('#tax_id', '20100130204');
    await page.fill('#full_name', 'Rosa Condori');
    await page.fill('#email', 'rosa@textiles.pe');
    await page.fill('#password', PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/register\/check-email$/);

    const [mail] = await waitForMail(env.server.smtp, 'rosa@textiles.pe');
    const link = mail.body.match(/https?:\/\/\S+/)[0];
    await page.goto(link);
    await hydrated(page);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/sign-in\?verified=1/);
    assert.match(await page.textContent('.notice'), /Su correo está confirmado/);

    await page.fill('#email', 'rosa@textiles.pe');
    await page.fill('#password', PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    await page.waitForSelector('.summary-list');
    assert.match(await page.textContent('.summary-list'), /Rosa Condori/);
    assert.match(await page.textContent('.account-nav'), /Rosa Condori/);
    assert.deepEqual(await axeViolations(page), []);

    await page.click('.account-nav button[type="submit"]');
    await page.waitForURL((url) => url.pathname === '/');
    await page.waitForSelector('.account-nav a[href="/sign-in"]');
    await page.goto(`${env.server.base}/account`);
    await page.waitForURL(/\/sign-in$/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('reset a forgotten password from the email', async () => {
    const { context, page } = await newPage();
    await page.goto(`${env.server.base}/forgot-password`);
    await hydrated(page);
    assert.deepEqual(await axeViolations(page), []);
    await page.fill('#email', 'carlos.cumplimiento@importadora.demo');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/forgot-password\/sent$/);
    const [mail] = await waitForMail(env.server.smtp, 'carlos.cumplimiento@importadora.demo');
    await page.goto(mail.body.match(/https?:\/\/\S+/)[0]);
    await hydrated(page);
    await page.fill('#password', 'quinua maca kiwicha tarwi');
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/sign-in\?reset=1/);
    await signIn(page, 'carlos.cumplimiento@importadora.demo', 'quinua maca kiwicha tarwi');
    await context.close();
  });

  test('an importer revokes a broker mandate and the broker loses access at once', async () => {
    const importer = await newPage();
    const broker = await newPage();
    await signIn(broker.page, 'beto.agente@agencia.demo', DEMO_PASSWORD);
    await broker.page.goto(`${env.server.base}/act-for`);
    await hydrated(broker.page);
    assert.deepEqual(await axeViolations(broker.page), []);
    await broker.page.click('.choice-list button[type="submit"]');
    await broker.page.waitForURL(/\/account$/);
    await broker.page.waitForSelector('.summary-list');
    assert.match(await broker.page.textContent('.summary-list'), /Importadora Andina/);

    await signIn(importer.page, 'ana.admin@importadora.demo', DEMO_PASSWORD);
    await importer.page.goto(`${env.server.base}/mandates`);
    await hydrated(importer.page);
    assert.deepEqual(await axeViolations(importer.page), []);
    assert.match(await importer.page.textContent('table'), /Agencia de Aduanas Pacífico/);
    await importer.page.click('table button[type="submit"]');
    await importer.page.waitForSelector('text=Su empresa no ha otorgado mandatos.');

    await broker.page.reload();
    await broker.page.waitForSelector('.summary-list');
    assert.doesNotMatch(await broker.page.textContent('.summary-list'), /Importadora Andina/);
    await broker.page.goto(`${env.server.base}/act-for`);
    await broker.page.waitForSelector('text=Ningún importador ha otorgado un mandato a su agencia.');

    // Grant it again through the form, so the demo stays as it was.
    await importer.page.fill('#broker_tax_id', '20100047218');
    await importer.page.click('main form button.button:not(.button--warning)');
    await importer.page.waitForSelector('table');
    await importer.context.close();
    await broker.context.close();
  });
});

describe('accounts without JavaScript', () => {
  test('sign in, see the account, and sign out by plain form posts', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${env.server.base}/sign-in`);
    await page.fill('#email', 'olga.oficial@sunat.demo');
    await page.fill('#password', 'wrong password entirely');
    await page.click('main button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.match(await page.textContent('.error-summary'), /no son correctos/);
    await page.fill('#email', 'olga.oficial@sunat.demo');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForURL(/\/account$/);
    assert.match(await page.textContent('.summary-list'), /Funcionario de aduanas/);
    await page.click('.account-nav button[type="submit"]');
    await page.waitForURL((url) => url.pathname === '/');
    assert.equal(await page.locator('.account-nav a[href="/sign-in"]').count(), 1);
    await context.close();
  });
});
