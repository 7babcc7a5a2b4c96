// Shared by the browser test scripts: how to find and launch Debian's
// Chromium under playwright-core, and axe-core's script. Each script
// passes its own fail, which prints its name and exits 2.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// The flags every launch uses: headless, sandbox off (root in CI), and no
// network of its own (updates, sync, QUIC).
export const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-extensions',
];

// launch starts Chromium (CHROMIUM, or /usr/bin/chromium) and returns it
// with the path of axe-core's script, or calls fail with what to install.
export async function launch(fail) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) fail(`no browser at ${executablePath}; install it with: apt-get install chromium (or set CHROMIUM)`);
  let chromium, axePath;
  try {
    ({ chromium } = await import('playwright-core'));
    axePath = require.resolve('axe-core/axe.min.js');
  } catch (err) {
    fail(`missing npm packages (${err.message}); install them with: npm ci --prefix .ci/a11y`);
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
  return { browser, axePath };
}
