#!/usr/bin/env node
// csp.mjs opens every page of a served site in headless Chromium and reports
// everything the page's Content-Security-Policy blocked: each
// securitypolicyviolation event, each console message about the policy
// ("Content Security Policy", "Refused to ...") and each request the browser
// blocked. The server must send the policy; a page served without one is an
// error, so that the check cannot pass by accident.
//
// Usage:
//   node csp.mjs BASE_URL [PATH...]        paths such as / and /search/?q=privacy
//   node csp.mjs BASE_URL < pages.json     a JSON array on stdin
//
// Each entry of the JSON array is a path, or {"path": P, "waitFor": SELECTOR}:
// after loading the page, wait (up to 15 s) until an element matches SELECTOR,
// so that a script that fetches and shows something, such as the search page,
// has run before the page is left.
//
// Environment: CHROMIUM (default /usr/bin/chromium) is the browser to launch;
// CSP_CONCURRENCY (default: the number of CPUs, from 2 to 4) is how many pages
// are opened at once.
//
// It prints one JSON object on stdout:
//   {"pages": N, "seconds": S, "browser": V, "errors": [...],
//    "violations": [{"page", "kind", "directive", "blocked", "source", "message"}]}
// and exits 0 when there are no violations, 1 when there are, and 2 when it
// could not do its job (no browser, a page that would not load, no policy).

import { launch } from './chromium.mjs';
import { availableParallelism } from 'node:os';

function fail(msg) {
  process.stderr.write(`csp.mjs: ${msg}\n`);
  process.exit(2);
}

async function readPages(args) {
  let pages = args;
  if (pages.length === 0) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    pages = JSON.parse(text || '[]');
  }
  if (!Array.isArray(pages)) fail('stdin must be a JSON array of pages');
  return pages.map((p) => {
    if (typeof p === 'string') return { path: p };
    if (p && typeof p.path === 'string') return p;
    return fail(`not a page: ${JSON.stringify(p)}`);
  });
}

// listen runs in every page before its own scripts and records each
// securitypolicyviolation event, which the document sees for every element.
function listen() {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : '',
      sample: e.sample,
    });
  }, true);
}

const CSP_CONSOLE = /Content Security Policy|Refused to/i;

async function checkPage(page, base, entry) {
  const url = new URL(entry.path, base).href;
  const found = [];
  const onConsole = (msg) => {
    if (CSP_CONSOLE.test(msg.text())) {
      found.push({ page: entry.path, kind: 'console', directive: '', blocked: '', source: msg.location()?.url ?? '', message: msg.text() });
    }
  };
  const onFailed = (req) => {
    const why = req.failure()?.errorText ?? '';
    if (/csp|blocked/i.test(why)) {
      found.push({ page: entry.path, kind: 'blocked-request', directive: '', blocked: req.url(), source: '', message: why });
    }
  };
  page.on('console', onConsole);
  page.on('requestfailed', onFailed);
  try {
    const res = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (!res) throw new Error(`no response for ${url}`);
    if (res.status() >= 400 && !entry.path.endsWith('404.html')) throw new Error(`status ${res.status()}`);
    if (!res.headers()['content-security-policy']) throw new Error('served without a Content-Security-Policy header');
    if (entry.waitFor) {
      await page.waitForSelector(entry.waitFor, { timeout: 15000 }).catch(() => {
        throw new Error(`nothing matched ${entry.waitFor} within 15 s`);
      });
    }
    // Let late requests (fonts, fetches) finish and report.
    await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
    const events = await page.evaluate(() => window.__csp || []);
    for (const e of events) {
      found.push({ page: entry.path, kind: 'event', directive: e.directive, blocked: e.blocked, source: e.source, message: e.sample || '' });
    }
  } finally {
    page.off('console', onConsole);
    page.off('requestfailed', onFailed);
  }
  return found;
}

async function main() {
  const [base, ...rest] = process.argv.slice(2);
  if (!base || base.startsWith('-')) fail('usage: node csp.mjs BASE_URL [PATH...] (or a JSON array of pages on stdin)');
  const pages = await readPages(rest);
  const { browser } = await launch(fail);
  const started = Date.now();
  const version = browser.version();
  const violations = [];
  const errors = [];
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addInitScript(listen);
    const queue = [...pages];
    const workers = Math.max(1, Math.min(Number(process.env.CSP_CONCURRENCY) || Math.min(4, Math.max(2, availableParallelism())), queue.length));
    await Promise.all(Array.from({ length: workers }, async () => {
      const page = await context.newPage();
      for (let entry; (entry = queue.shift()) !== undefined;) {
        try {
          violations.push(...await checkPage(page, base, entry));
        } catch (err) {
          errors.push(`${entry.path}: ${err.message.split('\n')[0]}`);
        }
      }
      await page.close();
    }));
  } finally {
    await browser.close();
  }
  violations.sort((a, b) => (a.page + a.kind + a.blocked).localeCompare(b.page + b.kind + b.blocked));
  process.stdout.write(JSON.stringify({
    pages: pages.length,
    seconds: (Date.now() - started) / 1000,
    browser: version,
    violations,
    errors,
  }, null, 2) + '\n');
  process.exitCode = errors.length ? 2 : violations.length ? 1 : 0;
}

main().catch((err) => fail(err.stack || String(err)));
