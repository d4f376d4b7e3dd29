// The value check in a real browser: the live value while typing, the result with its
// picture, calculation and evidence, axe in Spanish and English, and the same without
// JavaScript.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, garlicOrigin, openPage as openPageIn, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const openPage = (options = {}) => openPageIn(env.browser, options);

async function fillCheck(page, origin) {
  await page.fill('#hs', '0703.20.00.00');
  await page.selectOption('#origin', origin);
  await page.selectOption('#incoterm', 'FOB');
  await page.fill('#quantity', '1000');
  await page.selectOption('#unit', 'KGM');
  await page.selectOption('#currency', 'USD');
  await page.fill('#price', '900');
  await page.fill('#freight', '50');
  await page.fill('#insurance', '10');
  await page.check('#reason-quantity');
}

async function checkResult(page) {
  await page.waitForSelector('#result');
  assert.equal(await page.textContent('#customs-value'), 'USD 960.00');
  assert.equal(await page.locator('#result svg .band-chart__mark').count(), 1, 'the value is marked on the band');
  assert.ok((await page.locator('#calculation tbody tr').count()) >= 8);
  assert.ok((await page.locator('#evidence li').count()) >= 3);
}

describe('value check with JavaScript', () => {
  test('updates the value while typing, shows the result, passes axe in both languages', async () => {
    const { context, page, problems } = await openPage();
    const origin = await garlicOrigin(page, env.server.base);
    await page.goto(`${env.server.base}/check`);
    await ready(page);
    assert.deepEqual(await axeViolations(page), []);
    await fillCheck(page, origin);
    await page.waitForFunction(() => document.querySelector('#live-total')?.textContent === 'USD 960.00');
    await page.waitForFunction(() => document.querySelector('#live-unit-value')?.textContent === 'USD 0.96 / KGM');
    assert.equal(new URL(page.url()).search, '', 'nothing submitted yet');
    await Promise.all([page.waitForURL(/\/check\?/), page.click('form.check-form button[type="submit"]')]);
    await checkResult(page);
    assert.deepEqual(await axeViolations(page), []);
    await page.click('a[hreflang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('#result');
    assert.match(await page.textContent('#verdict'), /Your unit value is/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a form with errors lists them and passes axe', async () => {
    const { context, page } = await openPage();
    await page.goto(`${env.server.base}/check?hs=12&price=diez`);
    await page.waitForSelector('.error-summary');
    assert.ok((await page.locator('.error-summary li').count()) >= 5);
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });
});

describe('value check without JavaScript', () => {
  test('the form posts by GET and the result is the same', async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    const origin = await garlicOrigin(page, env.server.base);
    await page.goto(`${env.server.base}/check`);
    await fillCheck(page, origin);
    await Promise.all([page.waitForURL(/\/check\?/), page.click('form.check-form button[type="submit"]')]);
    await checkResult(page);
    await context.close();
  });
});
