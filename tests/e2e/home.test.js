import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, openPage as openPageIn, withServerAndBrowser, ready } from './harness.js';

const env = withServerAndBrowser();
// The 404 page is asked for on purpose.
const expected404 = (response) => response.request().isNavigationRequest() && new URL(response.url()).pathname === '/no/such/page';
const openPage = (options = {}) => openPageIn(env.browser, options, expected404);

describe('home page with JavaScript', () => {
  test('hydrates, updates the estimate live, switches language, and passes axe', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${env.server.base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal(await page.textContent('h1'), 'Compruebe el valor en aduana antes de declarar');
    await ready(page);

    // Only the hydrated page computes while typing: nothing is submitted here.
    await page.fill('#price', '10');
    await page.fill('#freight', '10');
    await page.fill('#insurance', '10');
    await page.waitForFunction(() => document.querySelector('#estimate-total')?.textContent === 'USD 30.00');
    assert.equal(new URL(page.url()).search, '', 'the form was not submitted');

    assert.deepEqual(await axeViolations(page), []);

    await page.click('a[hreflang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.textContent('h1'), 'Check your customs value before you declare');
    const cookies = await context.cookies();
    assert.equal(cookies.find((c) => c.name === 'lang')?.value, 'en');
    await page.goto(`${env.server.base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the cookie remembers the choice');
    await ready(page);
    assert.deepEqual(await axeViolations(page), []);

    // Feedback through the server function, without leaving the page.
    await page.click('.feedback button[value="yes"]');
    await page.waitForSelector('.feedback__thanks');
    assert.equal(await page.textContent('.feedback__thanks'), 'Thank you for your feedback.');

    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });

  test('the error summary and the 404 page pass axe', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${env.server.base}/?price=abc&freight=-1`);
    await ready(page);
    assert.equal(await page.locator('.error-summary li').count(), 2);
    assert.deepEqual(await axeViolations(page), []);
    const response = await page.goto(`${env.server.base}/no/such/page`);
    assert.equal(response.status(), 404);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('home page without JavaScript', () => {
  test('the estimate, the language switch and feedback work by plain requests', async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    await page.goto(`${env.server.base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal(await page.getAttribute('html', 'data-hydrated'), null);

    await page.fill('#price', '10');
    await page.fill('#freight', '10');
    await page.fill('#insurance', '10');
    await page.click('form[action="/"] button[type="submit"]');
    await page.waitForURL(/price=10/);
    assert.equal(await page.textContent('#estimate-total'), 'USD 30.00');

    await page.fill('#price', 'diez');
    await page.click('form[action="/"] button[type="submit"]');
    await page.waitForURL(/price=diez/);
    assert.equal(await page.textContent('.error-summary h2'), 'Hay un problema');
    assert.equal(await page.getAttribute('#price', 'aria-invalid'), 'true');

    await page.click('a[hreflang="en"]');
    await page.waitForURL(/lang=en/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    await page.click('.feedback button[value="no"]');
    await page.waitForURL(/feedback=thanks/);
    assert.equal(await page.textContent('.feedback__thanks'), 'Thank you for your feedback.');
    await context.close();
  });
});
