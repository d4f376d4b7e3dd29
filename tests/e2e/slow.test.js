// Time to a usable page on a slow mobile connection (Chromium's network throttling at a
// "slow 4G" profile: 400 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, empty cache): for the
// home page, the check form and a check result it prints the time to first byte, to first
// contentful paint, and until the live value reacts to typing, with the bytes of script and
// WebAssembly fetched. Figures, not assertions on time (the machine's load varies); what it
// asserts is that the value does react. The build measured is the one the tests serve
// (`scripts/run` serves the release build; point VALORA_SERVER_BIN at it to measure that).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { garlicOrigin, openPage, withServerAndBrowser } from './harness.js';

const env = withServerAndBrowser();

const SLOW_4G = { offline: false, latency: 400, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };

/// Loads `path` throttled, then, from the moment `field` is on the page, answers the form with
/// `answer(page)` until the text of `output` changes: what a person typing at once would see.
async function measure(path, field, output, answer) {
  const { context, page, problems } = await openPage(env.browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let bundleBytes = 0;
  cdp.on('Network.loadingFinished', (event) => { bundleBytes += event.encodedDataLength; });
  const bundles = new Set();
  cdp.on('Network.responseReceived', (event) => {
    if (/\.(js|wasm)$/.test(new URL(event.response.url).pathname)) bundles.add(event.requestId);
  });
  // The document's first byte, as the throttled network delivers it (Navigation Timing reports
  // the unthrottled moment).
  const documentTimes = {};
  cdp.on('Network.requestWillBeSent', (event) => { if (event.type === 'Document' && documentTimes.sent === undefined) documentTimes.sent = event.timestamp; });
  cdp.on('Network.responseReceived', (event) => { if (event.type === 'Document' && documentTimes.received === undefined) documentTimes.received = event.timestamp; });
  let scriptBytes = 0;
  cdp.on('Network.loadingFinished', (event) => { if (bundles.has(event.requestId)) scriptBytes += event.encodedDataLength; });
  // The moment the islands are hydrated, on the page's own clock.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.documentElement.dataset.hydrated === 'true' && !window.__hydratedAt) window.__hydratedAt = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  await page.goto(`${env.server.base}${path}`, { waitUntil: 'commit' });
  // Typing from the moment the field is there: the live value answers once hydrated.
  await page.waitForSelector(field);
  const before = await page.textContent(output);
  let reacted;
  for (;;) {
    await answer(page);
    reacted = await page.evaluate(([out, was]) => document.querySelector(out)?.textContent !== was ? performance.now() : null, [output, before]);
    if (reacted !== null) break;
    await page.waitForTimeout(50);
  }
  const timing = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { fcp: paint ? paint.startTime : NaN, hydrated: window.__hydratedAt ?? NaN };
  });
  timing.ttfb = (documentTimes.received - documentTimes.sent) * 1000;
  await context.close();
  assert.deepEqual(problems, [], path);
  return { ...timing, reacted, bytes: bundleBytes, scriptBytes };
}

describe('time to a usable page on slow 4G', () => {
  test('home, check form and check result: first byte, first paint, live value reacting', async () => {
    const origin = await (async () => {
      const { context, page } = await openPage(env.browser);
      const found = await garlicOrigin(page, env.server.base);
      await context.close();
      return found;
    })();
    const today = new Date().toISOString().slice(0, 10);
    const result = `/check?hs=0703.20&origin=${origin}&incoterm=FOB&date=${today}&quantity=1000&unit=KGM&currency=USD&price=900&freight=50&insurance=10&related=no`;
    let typed = 0;
    const type = (field) => async (page) => { typed += 1; await page.fill(field, String(100 + typed)); };
    const pages = [
      ['home page', '/', '#price', '#estimate-total', type('#price')],
      ['check form', '/check', '#price', '#live-total', async (page) => { await page.selectOption('#incoterm', 'FOB'); await type('#price')(page); }],
      ['check result', result, '#price', '#live-total', type('#price')],
    ];
    console.log('slow 4G (400 ms RTT, 1.6 Mbit/s), empty cache:');
    for (const [what, path, field, output, answer] of pages) {
      const m = await measure(path, field, output, answer);
      assert.ok(m.reacted > 0, `${what}: the live value reacts`);
      console.log(`  ${what}: first byte ${m.ttfb.toFixed(0)} ms, first contentful paint ${m.fcp.toFixed(0)} ms, islands hydrated ${m.hydrated.toFixed(0)} ms, live value reacted to typing ${m.reacted.toFixed(0)} ms; transferred ${(m.bytes / 1024).toFixed(0)} KB, of which script and WebAssembly ${(m.scriptBytes / 1024).toFixed(0)} KB`);
    }
  });
});
