// `elmo serve` following a model's results file, in headless Chromium at 1920×1080: the
// measure line shows its latest value and status shape, a save to the CSV (not the model)
// redraws the page, a broken CSV keeps the diagram and shows its error pointing into the
// CSV, and the fix draws again.
//
//   node tests/browser/results.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR
//
// Prints {"checks": [...], "screenshots": [...]} on stdout, like serve.mjs.
import fs from 'node:fs/promises';
import path from 'node:path';
import { exited, launch, model, save, serve } from './lib.mjs';

const [elmo, dir, shotDir] = process.argv.slice(2);
if (!elmo || !dir || !shotDir) {
  console.error('usage: node results.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR');
  process.exit(2);
}

const checks = [];
const screenshots = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
}
await fs.mkdir(dir, { recursive: true });
await fs.mkdir(shotDir, { recursive: true });

const file = path.join(dir, 'model.yaml');
const csv = path.join(dir, 'results.csv');
const results = (attended) => `measure,period,numerator,denominator\nattendance,2025-08,${attended},100\n`;
await fs.writeFile(file, `results: [results.csv]\n${model()}`);
await fs.writeFile(csv, results(45));

const server = await serve(elmo, file, ['--as-of', '2025-09-30']);
const browser = await launch();
const problems = [];

// The attendance line as the page shows it: its status hook, its text and its tooltip.
const line = (page) => page.evaluate(() => {
  const t = document.querySelector('#diagram text.measure[data-measure="attendance"]');
  if (!t) return null;
  const title = t.querySelector('title');
  const text = [...t.childNodes].filter((n) => n.nodeName !== 'title').map((n) => n.textContent).join(' ');
  return { status: t.dataset.status, text, title: title ? title.textContent : '' };
});
const version = (page) => page.evaluate(() => Number(document.documentElement.dataset.version));
async function shot(page, name) {
  const p = path.join(shotDir, name);
  await page.screenshot({ path: p });
  screenshots.push(p);
}

try {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('#diagram svg g.node');
  const first = await line(page);
  check('the measure line shows the latest value and shape', first && first.text.includes('45% ◆'), first);
  check('the line carries the status word as a hook', first && first.status === 'at-risk', first);
  check('the tooltip says the status in words', first && first.title.includes('at-risk'), first);
  check('the legend explains the shape', await page.evaluate(() =>
    [...document.querySelectorAll('#diagram .legend text.key-text')].some((t) => t.textContent === 'measure at risk')));
  // Legible where it is used: the result is as large as the measure text around it.
  const px = await page.evaluate(() => {
    const r = document.querySelector('#diagram text.measure[data-measure="attendance"] .result');
    return r ? r.getBoundingClientRect().height : 0;
  });
  check('the result is drawn at a readable size', px >= 14, `${px.toFixed(1)} px`);
  await shot(page, 'results-before.png');

  // Only the CSV changes: the page redraws with the new value.
  const v1 = await version(page);
  await save(csv, results(80), 'rename');
  await page.waitForFunction((v) => Number(document.documentElement.dataset.version) > v, v1, { timeout: 5000 });
  const after = await line(page);
  check('a save to the CSV redraws the page', after && after.text.includes('80% ★'), after);
  check('the new status is in the hook', after && after.status === 'met', after);
  check('the model file was not touched', (await fs.readFile(file, 'utf8')).startsWith('results: [results.csv]\n'));
  await shot(page, 'results-after.png');

  // Broken CSV: the same diagram, the banner, and the error pointing into the CSV.
  const v2 = await version(page);
  await save(csv, results(180), 'in-place');
  await page.waitForSelector('html[data-stale]', { timeout: 5000 });
  const broken = await page.evaluate(() => ({
    banner: document.querySelector('#banner') ? document.querySelector('#banner').textContent : '',
    panel: document.querySelector('#diagnostics') ? document.querySelector('#diagnostics').textContent : '',
    shown: document.documentElement.dataset.panel,
  }));
  check('a broken CSV keeps the version', (await version(page)) === v2);
  check('a broken CSV keeps the last good diagram', ((await line(page)) || {}).text?.includes('80% ★'));
  check('the banner names the CSV and its line', broken.banner.includes('results.csv line 2'), broken.banner);
  check('the diagnostics panel names the CSV and the error',
    broken.panel.includes('results.csv') && broken.panel.includes('result-numerator-above-denominator'), broken.panel);
  check('the diagnostics panel opens for the CSV error', broken.shown === 'shown', broken.shown);
  check('the banner says the CSV has the error', broken.banner.startsWith('Showing the last good version — results.csv has 1 error'), broken.banner);
  check('the CSV\'s error is listed first, above the model\'s warnings', await page.evaluate(() => {
    const first = document.querySelector('#diagnostics .diag-file');
    return first && first.textContent.endsWith('results.csv');
  }));
  await shot(page, 'results-broken.png');

  await save(csv, results(30), 'in-place');
  await page.waitForFunction((v) => Number(document.documentElement.dataset.version) > v
    && !document.documentElement.hasAttribute('data-stale'), v2, { timeout: 5000 });
  const fixed = await line(page);
  check('the fixed CSV draws again', fixed && fixed.text.includes('30% ▼') && fixed.status === 'off-track', fixed);
  check('no script errors', problems.length === 0, problems);
} catch (e) {
  check('the run finished', false, String(e && e.stack || e));
} finally {
  await browser.close();
  server.child.kill('SIGINT');
  await exited(server.child, 5000);
}

console.log(JSON.stringify({ checks, screenshots }, null, 2));
