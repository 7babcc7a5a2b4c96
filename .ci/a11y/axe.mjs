#!/usr/bin/env node
// axe.mjs opens every page of a served site in headless Chromium and checks it
// as a browser user meets it:
//
//   - axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules, at 1280 and 320 px wide;
//   - no horizontal scrolling at 320 px wide (WCAG 1.4.10 reflow: 1280 px at
//     400% zoom), nor with the text at 200% (WCAG 1.4.4) at 1280 or 320 px;
//     a wide table may scroll inside its own box, as WCAG allows;
//   - tabbing through the page, every element that takes focus looks
//     different when focused (WCAG 2.4.7) and is on screen (2.4.11);
//   - every stylesheet, image and script the page asks for loads.
//
// Usage:
//   node axe.mjs BASE_URL [PATH...]        paths such as / and /faqs/
//   node axe.mjs BASE_URL < paths.json     a JSON array of paths on stdin
//
// Environment: CHROMIUM (default /usr/bin/chromium) is the browser to launch;
// AXE_CONCURRENCY (default: the number of CPUs, from 2 to 4) is how many pages
// are checked at once.
//
// It prints one JSON object on stdout:
//   {"pages": N, "checks": N, "seconds": S, "browser": V, "errors": [...],
//    "violations": [{"page", "viewport", "rule", "impact", "help", "helpUrl",
//                    "nodes": [{"target", "html", "summary"}]}]}
// and exits 0 when there are no violations, 1 when there are, and 2 when it
// could not do its job (no browser, a page that would not load).

import { launch } from './chromium.mjs';
import { availableParallelism } from 'node:os';


const VIEWPORTS = [
  { name: '1280px', width: 1280, height: 900, axe: true },
  { name: '320px', width: 320, height: 640, axe: true },
  // 200% text (WCAG 1.4.4), on a wide screen and on a small phone: reflow only.
  { name: '1280px, text 200%', width: 1280, height: 900, axe: false, textScale: 2 },
  { name: '320px, text 200%', width: 320, height: 640, axe: false, textScale: 2 },
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function fail(msg) {
  process.stderr.write(`axe.mjs: ${msg}\n`);
  process.exit(2);
}

async function readPaths(args) {
  if (args.length > 0) return args;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const paths = JSON.parse(text || '[]');
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
    fail('stdin must be a JSON array of page paths');
  }
  return paths;
}

// overflow reports whether the page scrolls sideways, and the widest
// elements that stick out past the right edge of the viewport.
function overflow() {
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 && r.width > 0) {
      // Report the outermost element that sticks out, not its children.
      if (culprits.some((c) => c.el.contains(el))) continue;
      culprits.push({ el, right: Math.round(r.right) });
    }
  }
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    for (const c of el.classList) s += '.' + c;
    return s;
  };
  return {
    scrollWidth: sw,
    innerWidth: vw,
    nodes: culprits.slice(0, 5).map((c) => ({
      target: [describe(c.el)],
      html: c.el.outerHTML.slice(0, 200),
      summary: `right edge at ${c.right}px in a ${vw}px-wide window`,
    })),
  };
}

const FOCUS_PROPS = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
  'color', 'text-decoration-line', 'border-bottom-color', 'border-bottom-width'];

// focusBaseline records how every element that can take focus looks unfocused.
function focusBaseline(props) {
  const base = new Map();
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=""], [contenteditable="true"]';
  for (const el of document.querySelectorAll(focusable)) {
    const cs = getComputedStyle(el);
    base.set(el, props.map((p) => cs.getPropertyValue(p)).join('|'));
  }
  window.__focusBase = base;
  window.__focusIds = new Map();
  return base.size;
}

// focusState describes the focused element after a Tab: null when focus has
// left the page, else whether it looks focused and is on screen.
function focusState(props) {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const now = props.map((p) => cs.getPropertyValue(p)).join('|');
  const before = window.__focusBase.get(el);
  const r = el.getBoundingClientRect();
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  for (const c of el.classList) s += '.' + c;
  if (el.getAttribute('href')) s += `[href="${el.getAttribute('href')}"]`;
  const ids = window.__focusIds;
  if (!ids.has(el)) ids.set(el, ids.size);
  return {
    id: ids.get(el),
    target: s,
    html: el.outerHTML.slice(0, 200),
    visible: before === undefined || before !== now,
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
  };
}

// checkFocus tabs through the page as a keyboard user would.
async function checkFocus(page, path, viewport) {
  const n = await page.evaluate(focusBaseline, FOCUS_PROPS);
  const invisible = [];
  const offScreen = [];
  const seen = new Set();
  for (let i = 0; i < n + 2; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(focusState, FOCUS_PROPS);
    if (!f || seen.has(f.id)) break;
    seen.add(f.id);
    if (!f.visible) invisible.push(f);
    if (!f.onScreen) offScreen.push(f);
  }
  // Leave nothing focused: axe checks the page as it first appears.
  await page.evaluate(() => document.activeElement?.blur());
  const found = [];
  const node = (f) => ({ target: [f.target], html: f.html, summary: '' });
  if (invisible.length) {
    found.push({
      page: path, viewport, rule: 'focus-visible', impact: 'serious',
      help: 'An element that takes keyboard focus must look different when focused',
      helpUrl: 'https://www.w3.org/WAI/WCAG22/Understanding/focus-visible.html', nodes: invisible.map(node),
    });
  }
  if (offScreen.length) {
    found.push({
      page: path, viewport, rule: 'focus-off-screen', impact: 'serious',
      help: 'An element that takes keyboard focus must be on screen when focused',
      helpUrl: 'https://www.w3.org/WAI/WCAG22/Understanding/focus-not-obscured-minimum.html', nodes: offScreen.map(node),
    });
  }
  return found;
}

async function checkPage(page, base, path, axePath) {
  const url = new URL(path, base).href;
  const found = [];
  const broken = new Map(); // URL -> why it failed
  const onResponse = (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') broken.set(res.url(), String(res.status()));
  };
  const onFailed = (req) => {
    if (!broken.has(req.url())) broken.set(req.url(), req.failure()?.errorText ?? 'failed');
  };
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  try {
    // Load the page once at the first width; resizing re-lays it out, so the
    // other widths need no reload.
    await page.setViewportSize({ width: VIEWPORTS[0].width, height: VIEWPORTS[0].height });
    const res = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (!res) throw new Error(`no response for ${url}`);
    found.push(...await checkFocus(page, path, VIEWPORTS[0].name));
    await page.addScriptTag({ path: axePath });
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.evaluate((s) => { document.documentElement.style.fontSize = s ? `${100 * s}%` : ''; }, vp.textScale || 0);
      if (vp.axe) {
        const result = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          return await axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          });
        }, AXE_TAGS);
        for (const v of result.violations) {
          found.push({
            page: path, viewport: vp.name, rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target.flat(), html: n.html, summary: n.failureSummary })),
          });
        }
      }
      const o = await page.evaluate(overflow);
      if (o) {
        found.push({
          page: path, viewport: vp.name, rule: 'horizontal-scroll', impact: 'serious',
          help: `Page must not scroll sideways: it is ${o.scrollWidth}px wide in a ${o.innerWidth}px window`,
          helpUrl: 'https://www.w3.org/WAI/WCAG22/Understanding/reflow.html',
          nodes: o.nodes,
        });
      }
    }
  } finally {
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
  }
  if (broken.size) {
    found.push({
      page: path, viewport: '', rule: 'broken-resource', impact: 'serious',
      help: 'Every stylesheet, image and script the page uses must load', helpUrl: '',
      nodes: [...broken].map(([u, why]) => ({ target: [], html: '', summary: `${why} ${u}` })),
    });
  }
  return found;
}

async function main() {
  const [base, ...rest] = process.argv.slice(2);
  if (!base || base.startsWith('-')) fail('usage: node axe.mjs BASE_URL [PATH...] (or a JSON array of paths on stdin)');
  const paths = await readPaths(rest);
  const { browser, axePath } = await launch(fail);
  const started = Date.now();
  const version = browser.version();
  const violations = [];
  const errors = [];
  try {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const queue = [...paths];
    const workers = Math.max(1, Math.min(Number(process.env.AXE_CONCURRENCY) || Math.min(4, Math.max(2, availableParallelism())), queue.length));
    await Promise.all(Array.from({ length: workers }, async () => {
      const page = await context.newPage();
      for (let path; (path = queue.shift()) !== undefined;) {
        try {
          violations.push(...await checkPage(page, base, path, axePath));
        } catch (err) {
          errors.push(`${path}: ${err.message.split('\n')[0]}`);
        }
      }
      await page.close();
    }));
  } finally {
    await browser.close();
  }
  violations.sort((a, b) => (a.page + a.viewport + a.rule).localeCompare(b.page + b.viewport + b.rule));
  const out = {
    pages: paths.length,
    checks: paths.length * VIEWPORTS.length,
    seconds: (Date.now() - started) / 1000,
    browser: version,
    violations,
    errors,
  };
  // Set the status rather than exit: exiting would cut off a long report
  // still being written to a pipe.
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  process.exitCode = errors.length ? 2 : violations.length ? 1 : 0;
}

main().catch((err) => fail(err.stack || String(err)));
