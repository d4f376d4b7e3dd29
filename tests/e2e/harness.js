// Starts the real server (built by `cargo leptos build`) on a free port with its own embedded
// PostgreSQL cluster in a fresh data directory, and launches headless Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

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

export async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'valora-e2e-'));
  chmodSync(dataDir, 0o755);
  const bin = process.env.VALORA_SERVER_BIN ?? join(root, 'target', 'debug', 'valora-server');
  const child = spawn(bin, [], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      VALORA_LISTEN_ADDR: `127.0.0.1:${port}`,
      VALORA_DATA_DIR: dataDir,
      VALORA_SITE_ROOT: join(root, 'target', 'site'),
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
    async stop() {
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
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
