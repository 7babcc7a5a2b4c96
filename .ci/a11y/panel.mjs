#!/usr/bin/env node
// panel.mjs opens one page of a running `charter serve` preview in headless
// Chromium and tries the check panel as a keyboard user would: Tab reaches
// its button, which starts closed with a count; Enter opens it and moves the
// focus to the first finding; the arrow keys, Home and End move through the
// findings; Escape closes it and gives the focus back to the button. The
// page is served with a strict Content-Security-Policy (no inline script or
// style), and anything it blocks is a failure. It checks that the panel
// never covers the end of the page, and runs axe-core
// (WCAG 2.0, 2.1, 2.2 A and AA) on the page with the panel open.
//
// Usage: node panel.mjs BASE_URL PATH, or the PATH on stdin
//
// Environment: CHROMIUM (default /usr/bin/chromium) is the browser.
//
// It prints one JSON object on stdout:
//   {"browser": V, "findings": N, "label": "...", "failures": [...],
//    "violations": [{"rule", "help", "nodes": [...]}]}
// and exits 0 when every step passed and axe found nothing, 1 otherwise, 2
// when it could not do its job.

import { readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";
function fail(msg) {
  process.stderr.write(`panel.mjs: ${msg}\n`);
  process.exit(2);
}

// state describes the panel and the focus.
function state() {
  const el = document.getElementById('charter-check');
  if (!el) return null;
  const button = el.querySelector('.charter-check__toggle');
  const items = [...el.querySelectorAll('.charter-check__item')];
  const body = el.querySelector('.charter-check__body');
  const a = document.activeElement;
  return {
    expanded: button.getAttribute('aria-expanded'),
    controls: button.getAttribute('aria-controls') === body.id,
    label: button.textContent,
    bodyVisible: !body.hidden && body.getBoundingClientRect().height > 0,
    items: items.length,
    focus: a === button ? 'button' : items.indexOf(a),
    live: el.querySelector('[aria-live="polite"]')?.textContent || '',
    tagName: button.tagName,
  };
}

// covers reports whether the panel, scrolled to the end of the page, hides
// any of the page's own content.
function covers() {
  window.scrollTo(0, document.documentElement.scrollHeight);
  const panel = document.getElementById('charter-check').getBoundingClientRect();
  const hidden = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('#charter-check') || el.closest('#charter-error')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && !el.children.length && el.textContent.trim() && r.bottom > panel.top + 1) {
      hidden.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ends at ${Math.round(r.bottom)}px, the panel starts at ${Math.round(panel.top)}px`);
    }
  }
  return hidden;
}

async function main() {
  const base = process.argv[2];
  let path = process.argv[3];
  if (!path) {
    path = '';
    for await (const chunk of process.stdin) path += chunk;
    path = path.trim();
  }
  if (!base || !path) fail('usage: node panel.mjs BASE_URL PATH');
  const { browser, axePath } = await launch(fail);
  const failures = [];
  const expect = (ok, what) => { if (!ok) failures.push(what); };
  const rep = { browser: browser.version(), findings: 0, label: '', failures, violations: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    // The page is served with a strict policy, as a published site may be:
    // the panel must need no inline script or style.
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      const headers = { ...response.headers(), 'content-security-policy': CSP };
      await route.fulfill({ response, headers });
    });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      }, true);
    });
    await page.goto(new URL(path, base).href, { waitUntil: 'load' });
    await page.waitForSelector('.charter-check__item', { state: 'attached', timeout: 15000 });
    await page.waitForTimeout(800); // the live region speaks a moment after the panel comes
    let s = await page.evaluate(state);
    rep.findings = s.items;
    rep.label = s.label;
    expect(s.tagName === 'BUTTON' && s.controls, 'the toggle is not a <button> with aria-controls naming the list');
    expect(s.expanded === 'false' && !s.bodyVisible, `the panel does not start closed: ${JSON.stringify(s)}`);
    expect(/\d+ (error|warning|notice)/.test(s.label), `the closed panel gives no count: "${s.label}"`);
    expect(s.live === s.label, `the polite live region does not announce the count: "${s.live}"`);
    expect(s.items >= 2, `the page shows ${s.items} findings; the test needs 2 or more`);
    const hidden = await page.evaluate(covers);
    expect(hidden.length === 0, `the closed panel covers the page: ${hidden.join('; ')}`);

    let reached = false;
    for (let i = 0; i < 200 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(state)).focus === 'button';
    }
    expect(reached, 'Tab never reaches the panel\'s button');
    await page.keyboard.press('Enter');
    s = await page.evaluate(state);
    expect(s.expanded === 'true' && s.bodyVisible, `Enter does not open the panel: ${JSON.stringify(s)}`);
    expect(s.focus === 0, `opening does not move the focus to the first finding: focus ${s.focus}`);
    await page.keyboard.press('ArrowDown');
    expect((await page.evaluate(state)).focus === 1, 'ArrowDown does not move to the next finding');
    await page.keyboard.press('ArrowUp');
    expect((await page.evaluate(state)).focus === 0, 'ArrowUp does not move to the previous finding');
    await page.keyboard.press('End');
    expect((await page.evaluate(state)).focus === s.items - 1, 'End does not move to the last finding');
    await page.keyboard.press('Home');
    expect((await page.evaluate(state)).focus === 0, 'Home does not move to the first finding');
    const hiddenOpen = await page.evaluate(covers);
    expect(hiddenOpen.length === 0, `the open panel covers the page: ${hiddenOpen.join('; ')}`);

    // Not a script tag, which the policy would block: evaluated through the
    // browser's debugging protocol, which the policy does not govern.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const result = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      return await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    }, AXE_TAGS);
    for (const v of result.violations) {
      rep.violations.push({ rule: v.id, help: v.help, nodes: v.nodes.map((n) => `${n.target.flat().join(' ')}: ${n.failureSummary}`) });
    }

    await page.keyboard.press('Escape');
    s = await page.evaluate(state);
    expect(s.expanded === 'false' && !s.bodyVisible, 'Escape does not close the panel');
    expect(s.focus === 'button', 'Escape does not give the focus back to the button');
    await page.keyboard.press('Space');
    s = await page.evaluate(state);
    expect(s.expanded === 'true', 'Space does not open the panel');
    for (const v of await page.evaluate(() => window.__csp)) failures.push(`the policy blocked: ${v}`);
  } catch (err) {
    failures.push(`could not try the panel: ${err.message}`);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(rep) + '\n');
  process.exit(failures.length || rep.violations.length ? 1 : 0);
}

main();
