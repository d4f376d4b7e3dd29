// The public band lookup in a real browser: find a band by a Spanish word and by a 6-digit
// code, open it, see the picture, download the CSV; axe in both languages; the same without
// JavaScript.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axeViolations, openPage as openPageIn, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
const openPage = (options = {}) => openPageIn(env.browser, { acceptDownloads: true, ...options });

async function search(page, text) {
  await page.fill('#q', text);
  await Promise.all([page.waitForURL(/\/bands\?q=/), page.click('form[role="search"] button[type="submit"]')]);
}

/// From the search results, opens the garlic subheading and then its first band.
async function openGarlicBand(page) {
  await Promise.all([page.waitForURL(/\/bands\/070320$/), page.click('a[href="/bands/070320"]')]);
  const link = page.locator('a[href^="/bands/070320/"]').first();
  await Promise.all([page.waitForURL(/\/bands\/070320\/[A-Z]{2}\/KGM/), link.click()]);
}

async function checkBandPage(page) {
  // With JavaScript the router renders the page after the address changes.
  await page.waitForSelector('svg[data-testid="band-chart"]');
  const chart = page.locator('svg[data-testid="band-chart"]');
  assert.equal(await chart.count(), 1, 'the picture is there');
  assert.ok(await chart.isVisible());
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.equal(await page.locator('.band-chart__box').count(), 1, 'the P25-P75 box');
  assert.equal(await page.locator('.band-chart__median').count(), 1, 'the median line');
  assert.match(await page.textContent('.band-chart__scale'), /^USD (por|per) (kilogramo|kilogram)$/);
}

describe('band lookup with JavaScript', () => {
  test('finds garlic by a Spanish word, opens the band, downloads the CSV, passes axe', async () => {
    const { context, page, problems } = await openPage();
    // Nothing on these pages is interactive: no script bundle is fetched at all.
    const bundles = [];
    page.on('request', (request) => { if (/\.(wasm|js)$/.test(new URL(request.url()).pathname)) bundles.push(request.url()); });
    await page.goto(`${env.server.base}/bands`);
    await ready(page);
    assert.deepEqual(await axeViolations(page), []);

    await search(page, 'ajos');
    assert.ok(await page.locator('a[href="/bands/070320"]').count() > 0, 'found by a Spanish word');
    assert.deepEqual(await axeViolations(page), []);
    await openGarlicBand(page);
    await ready(page);
    await checkBandPage(page);
    assert.match(await page.textContent('h1'), /0703\.20 Ajos/);
    assert.deepEqual(await axeViolations(page), []);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/api/v1/bands.csv"]')]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(csv[0].split(',')[0], 'tariff_code');
    assert.equal(csv.length, 2, 'the header and this band');
    assert.match(csv[1], /^070320,[A-Z]{2},/);
    const median = csv[1].split(',')[10];
    assert.ok((await page.textContent('.summary-list')).includes(Number(median).toFixed(2)), 'the page shows the CSV median');

    // The same band in English.
    await page.click('a[hreflang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await checkBandPage(page);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    assert.deepEqual(bundles, [], 'no script bundle on pages without islands');
    await context.close();
  });

  test('finds the band by its 6-digit code in English', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${env.server.base}/bands?lang=en`);
    await ready(page);
    await search(page, '070320');
    assert.match(await page.textContent('table'), /Garlic/);
    await openGarlicBand(page);
    await checkBandPage(page);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('band lookup without JavaScript', () => {
  test('search, band page, history date and CSV work by plain requests', async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    await page.goto(`${env.server.base}/bands`);
    assert.equal(await page.getAttribute('html', 'data-hydrated'), null);
    await search(page, 'ajos frescos');
    await openGarlicBand(page);
    await checkBandPage(page);
    // The earlier version from the history table.
    const versions = page.locator('table a[href^="?as_of="]');
    assert.ok(await versions.count() >= 2, 'two published versions');
    await Promise.all([page.waitForURL(/as_of=/), versions.last().click()]);
    await checkBandPage(page);
    const csvHref = await page.getAttribute('a[href^="/api/v1/bands.csv"]', 'href');
    const response = await page.request.get(`${env.server.base}${csvHref}`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/csv/);
    await context.close();
  });
});
