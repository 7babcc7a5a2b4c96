#!/usr/bin/env node
// layout.mjs checks the layout of a served site in headless Chromium.
//
// The primary navigation's menu button, on the home page:
//
//   - without JavaScript, at 320 px: no button, and every section link shown;
//   - with JavaScript, at 320 px: a "Menu" button with aria-expanded="false"
//     and the links hidden; pressing it sets aria-expanded="true" and shows
//     every link, with axe-core finding nothing in the open menu; Escape
//     closes it and puts focus back on the button;
//   - with JavaScript, at 1280 px: no button, every link shown.
//
// One grid, on each page named on standard input, at 1280 px: every block
// in the main column (lead, text, lists, rules, page history, previous and
// next) is one measure wide, and the footer reaches the foot of the window.
//
// Usage: node layout.mjs BASE_URL < paths.json
// Environment: CHROMIUM (default /usr/bin/chromium).
//
// It prints {"checks": N, "links": N, "failures": ["..."]} and exits 0 when
// there are no failures, 1 when there are, 2 when it could not run.

import { launch } from './chromium.mjs';

function fail(msg) {
  process.stderr.write(`layout.mjs: ${msg}\n`);
  process.exit(2);
}

// state describes the button and the links of the primary navigation.
function state() {
  const nav = document.querySelector('nav[aria-label="Main"]');
  const button = nav && nav.querySelector('button');
  const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const links = nav ? [...nav.querySelectorAll('a')] : [];
  return {
    button: shown(button),
    name: button ? button.textContent.trim() : '',
    expanded: button ? button.getAttribute('aria-expanded') : null,
    controls: button ? !!document.getElementById(button.getAttribute('aria-controls') || '') : false,
    focused: !!button && document.activeElement === button,
    links: links.length,
    shownLinks: links.filter(shown).length,
  };
}

// widths lists the blocks of the main column whose width is not the
// measure (the width of the widest), and where the footer ends.
function widths() {
  const blocks = [...document.querySelectorAll('main > *, .az-group > *, main > .related, .page-history')]
    .filter((el) => el.getClientRects().length > 0 && !['inline', 'none', 'contents'].includes(getComputedStyle(el).display));
  const measure = Math.max(...blocks.map((el) => el.getBoundingClientRect().width));
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('');
  const off = blocks.filter((el) => Math.abs(el.getBoundingClientRect().width - measure) > 0.5)
    .map((el) => `${describe(el)} is ${Math.round(el.getBoundingClientRect().width)}px`);
  const footer = document.querySelector('footer');
  return { measure: Math.round(measure), blocks: blocks.length, off, footerBottom: footer ? footer.getBoundingClientRect().bottom + scrollY : 0, height: innerHeight };
}

async function readPaths() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text || '["/"]');
}

async function main() {
  const [base] = process.argv.slice(2);
  const path = '/';
  if (!base) fail('usage: node layout.mjs BASE_URL < paths.json');
  const paths = await readPaths();
  const url = new URL(path, base).href;
  const failures = [];
  let checks = 0, links = 0;
  const expect = (ok, what) => { checks++; if (!ok) failures.push(what); };
  const { browser, axePath } = await launch(fail);
  try {
    const noJS = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
    let page = await noJS.newPage();
    await page.goto(url, { waitUntil: 'load' });
    let s = await page.evaluate(state);
    links = s.links;
    expect(s.links > 0, 'without JavaScript: no links in the main navigation');
    expect(!s.button, 'without JavaScript at 320px: the menu button is shown, though it cannot work');
    expect(s.shownLinks === s.links, `without JavaScript at 320px: ${s.shownLinks} of ${s.links} links shown`);
    await noJS.close();

    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' });
    page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load' });
    s = await page.evaluate(state);
    expect(s.button && s.name === 'Menu', `at 320px: no "Menu" button shown (got ${JSON.stringify(s.name)})`);
    expect(s.controls, 'the menu button has no aria-controls naming the list');
    expect(s.expanded === 'false', `at 320px, closed: aria-expanded is ${s.expanded}, want false`);
    expect(s.shownLinks === 0, `at 320px, closed: ${s.shownLinks} links shown, want none`);
    await page.click('nav[aria-label="Main"] button', { timeout: 5000 }).catch(() => expect(false, 'at 320px: cannot press the menu button'));
    s = await page.evaluate(state);
    expect(s.expanded === 'true', `at 320px, after pressing Menu: aria-expanded is ${s.expanded}, want true`);
    expect(s.shownLinks === s.links, `at 320px, open: ${s.shownLinks} of ${s.links} links shown`);
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'],
    }));
    for (const v of result.violations) {
      expect(false, `axe, menu open at 320px: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }
    await page.keyboard.press('Escape');
    s = await page.evaluate(state);
    expect(s.expanded === 'false' && s.shownLinks === 0, `Escape does not close the menu (aria-expanded ${s.expanded}, ${s.shownLinks} links shown)`);
    expect(s.focused, 'after Escape, focus is not on the menu button');
    await page.keyboard.press('Enter');
    s = await page.evaluate(state);
    expect(s.expanded === 'true', 'Enter on the menu button does not open the menu');

    await page.setViewportSize({ width: 1280, height: 900 });
    s = await page.evaluate(state);
    expect(!s.button, 'at 1280px: the menu button is shown');
    expect(s.shownLinks === s.links, `at 1280px: ${s.shownLinks} of ${s.links} links shown`);
    let measure = 0;
    for (const p of paths) {
      await page.goto(new URL(p, base).href, { waitUntil: 'load' });
      const w = await page.evaluate(widths);
      measure = measure || w.measure;
      expect(w.off.length === 0, `${p} at 1280px: not one measure (${w.measure}px): ${w.off.join('; ')}`);
      expect(w.measure === measure, `${p} at 1280px: the measure is ${w.measure}px, on ${paths[0]} ${measure}px`);
      expect(w.footerBottom >= w.height - 0.5, `${p} at 1280px: the footer ends at ${w.footerBottom}px, above the foot of the ${w.height}px window`);
    }
    await ctx.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ checks, links, pages: paths.length, failures }) + '\n');
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => fail(err.stack || String(err)));
