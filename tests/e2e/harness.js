// Starts the real server (built by `cargo leptos build`) on a free port with its own embedded
// PostgreSQL cluster in a fresh data directory, and launches headless Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..', '..');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/// A real SMTP server (Python's aiosmtpd) storing messages in a maildir.
async function startSmtp(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'box')], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((ok) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); ok(true); });
      socket.on('error', () => ok(false));
    });
    if (up) return { port, child, dir: join(dir, 'box', 'new') };
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('SMTP server did not start');
}

/// The plain-text bodies of the messages sent to `recipient`, decoded by Python's email package.
export function mailsTo(smtp, recipient) {
  if (!existsSync(smtp.dir)) return [];
  return readdirSync(smtp.dir).sort().map((name) => {
    const script = 'import email,email.policy,sys,json; m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default); print(json.dumps([str(m["To"]), str(m["Subject"]), m.get_body(("plain",)).get_content()]))';
    const [to, subject, body] = JSON.parse(execFileSync('python3', ['-c', script, join(smtp.dir, name)], { encoding: 'utf8' }));
    return { to, subject, body };
  }).filter((m) => m.to === recipient);
}

export async function waitForMail(smtp, recipient, count = 1) {
  for (let i = 0; i < 200; i++) {
    const mails = mailsTo(smtp, recipient);
    if (mails.length >= count) return mails;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`no mail for ${recipient}`);
}

export async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'valora-e2e-'));
  chmodSync(dataDir, 0o755);
  const bin = process.env.VALORA_SERVER_BIN ?? join(root, 'target', 'debug', 'valora-server');
  const smtp = await startSmtp(dataDir);
  const child = spawn(bin, [], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      VALORA_LISTEN_ADDR: `127.0.0.1:${port}`,
      VALORA_DATA_DIR: dataDir,
      VALORA_SITE_ROOT: join(root, 'target', 'site'),
      VALORA_DEMO: 'true',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      VALORA_MAIL_POLL_MS: '100',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server not ready in 60 s: ${out}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Valora is ready')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    base,
    smtp,
    async stop() {
      smtp.child.kill();
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/// Runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the page and returns the violations.
export async function axeViolations(page) {
  // After an in-app navigation the router sets the new page's title a moment after its content.
  await page.waitForFunction(() => document.title.trim().length > 0, null, { timeout: 5_000 });
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/// Starts the server and a browser before a file's tests and stops them after; read
/// `env.server` and `env.browser` inside the tests.
export function withServerAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/// A page that records console errors, uncaught exceptions and failed responses (except those
/// `expected(response)` accepts).
export async function openPage(browser, options = {}, expected = () => false) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    // Failed loads are reported below with their address; the rest are real script errors.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response)) problems.push(`${response.status()} ${response.url()}`);
  });
  return { context, page, problems };
}

export const DEMO_PASSWORD = 'valora demo cusco 2026';

/// Waits until the page is as interactive as it gets: its islands hydrated (the bundle marks
/// `<html data-hydrated>`), or at once on a page without islands (it loads no bundle at all).
export async function ready(page) {
  await page.waitForFunction(
    () => !document.querySelector('leptos-island') || document.documentElement.dataset.hydrated === 'true',
    null,
    { timeout: 30_000 },
  );
}

/// Signs in through the sign-in page (waiting for hydration only where JavaScript is on).
/// The page it lands on is awaited whatever it is: anything but the account page is tried once
/// more after 5 s (a loaded machine may answer 503 or 429 with Retry-After, and a person would
/// try again), then fails with what the page said.
export async function signIn(page, base, email, { password = DEMO_PASSWORD, javaScript = true } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(`${base}/sign-in`);
    if (javaScript) await ready(page);
    await page.fill('#email', email);
    await page.fill('#password', password);
    const [landed] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main button[type="submit"]')]);
    if (/\/account$/.test(new URL(page.url()).pathname)) return;
    if (attempt === 1) {
      console.log(`signing in as ${email} landed on ${page.url()} (${landed?.status()}); trying again`);
      await page.waitForTimeout(5_000);
      continue;
    }
    const said = (await page.textContent('main').catch(() => '')) ?? '';
    throw new Error(`signing in as ${email}: ${landed?.status()} at ${page.url()}: ${said.trim().slice(0, 300)}`);
  }
}

/// An origin with a published demo band for garlic (0703.20), as the public page lists it.
export async function garlicOrigin(page, base) {
  await page.goto(`${base}/bands/070320`);
  const href = await page.getAttribute('a[href^="/bands/070320/"]', 'href');
  return href.split('/')[3];
}

/// A small, valid one-page PDF (cross-reference offsets computed) showing `text`.
export function pdf(text) {
  const content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = Buffer.byteLength(out, 'latin1');
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
