// Verification of organisations in the browser: the demo importer waiting for verification sees
// its state and sends more evidence; the valuation administrator reviews the queue and rejects,
// then verifies, with JavaScript on and off; every page passes axe.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, openPage as openPageIn, pdf, signIn as signInAt, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const PENDING_ADMIN = 'nora.andes@andes.demo';
const VALUATION_ADMIN = 'victor.valoracion@sunat.demo';
const ORGANISATION = 'Andes Trading S.A.C. (demo)';

const openPage = (options = {}) => openPageIn(env.browser, options);
const signIn = (page, email, javaScript = true) => signInAt(page, env.server.base, email, { javaScript });

async function hydrated(page) {
  await ready(page);
}

describe('verification of organisations', () => {
  test('the waiting administrator sends evidence and customs rejects with a reason, with JavaScript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'valora-verification-'));
    const file = join(dir, 'ficha-ruc-actualizada.pdf');
    writeFileSync(file, pdf('Ficha RUC actualizada'));

    const trader = await openPage();
    await signIn(trader.page, PENDING_ADMIN);
    await trader.page.waitForSelector('#verification');
    assert.match(await trader.page.textContent('#verification'), /En revisión/);
    assert.match(await trader.page.textContent('#verification-evidence'), /ficha-ruc-20100071054\.pdf/);
    assert.deepEqual(await axeViolations(trader.page), []);
    await trader.page.setInputFiles('#file', file);
    await Promise.all([
      trader.page.waitForURL(/\/account\?evidence=1/),
      trader.page.click('#verification-upload button[type="submit"]'),
    ]);
    assert.match(await trader.page.textContent('#verification-evidence'), /ficha-ruc-actualizada\.pdf/);

    const customs = await openPage();
    await signIn(customs.page, VALUATION_ADMIN);
    await customs.page.goto(`${env.server.base}/customs/organisations`);
    await hydrated(customs.page);
    const row = customs.page.locator('#verification-pending tr', { hasText: ORGANISATION });
    assert.equal(await row.count(), 1);
    assert.deepEqual(await axeViolations(customs.page), []);
    await row.locator('textarea').fill('La ficha RUC no muestra el domicilio fiscal.');
    await row.locator('button', { hasText: 'Rechazar' }).click();
    await customs.page.waitForSelector('.notice[role="status"]');
    await customs.page.waitForSelector(`#verification-waiting tr:has-text("${ORGANISATION}")`);
    assert.match(
      await customs.page.textContent('#verification-waiting'),
      /no muestra el domicilio fiscal/,
    );

    await trader.page.goto(`${env.server.base}/account`);
    await trader.page.waitForSelector('#verification-reason');
    assert.match(await trader.page.textContent('#verification-reason'), /domicilio fiscal/);
    assert.deepEqual(trader.problems, []);
    assert.deepEqual(customs.problems, []);
    await trader.context.close();
    await customs.context.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('customs verifies without JavaScript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'valora-verification-'));
    const file = join(dir, 'ficha-ruc-nueva.pdf');
    writeFileSync(file, pdf('Ficha RUC nueva'));
    const trader = await openPage({ javaScriptEnabled: false });
    await signIn(trader.page, PENDING_ADMIN, false);
    await trader.page.setInputFiles('#file', file);
    await Promise.all([
      trader.page.waitForURL(/\/account\?evidence=1/),
      trader.page.click('#verification-upload button[type="submit"]'),
    ]);

    const customs = await openPage({ javaScriptEnabled: false });
    await signIn(customs.page, VALUATION_ADMIN, false);
    await customs.page.goto(`${env.server.base}/customs/organisations`);
    const row = customs.page.locator('#verification-pending tr', { hasText: ORGANISATION });
    await Promise.all([
      customs.page.waitForURL(/\/customs\/organisations\?decided=1/),
      row.locator('button', { hasText: 'Verificar' }).click(),
    ]);
    assert.match(await customs.page.textContent('main'), /Decisión registrada/);
    assert.equal(await customs.page.locator('#verification-pending tr', { hasText: ORGANISATION }).count(), 0);

    await trader.page.goto(`${env.server.base}/account`);
    assert.equal(await trader.page.locator('#verification').count(), 0, 'a verified organisation sees no section');
    await trader.context.close();
    await customs.context.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
