// Save-to-screen latency of `elmo serve`: the time from writing the model file to the new
// SVG being in the page's DOM.
//
//   node tests/browser/latency.mjs ELMO_BINARY MODEL_FILE [SAVES]
//
// MODEL_FILE must exist (benches/serve_latency.rs writes a generated 100-node model). Each
// save rewrites it in place with one label changed. The page's data-version attribute is set
// only after the new SVG is in place, so a MutationObserver on it, stamping the wall clock,
// marks the moment the diagram changed. Prints JSON: {"samples": [ms...], "median", "p95"}.
import fs from 'node:fs/promises';
import { launch, serve, sleep } from './lib.mjs';

const [elmo, file, savesArg] = process.argv.slice(2);
const saves = Number(savesArg || 50);
const base = await fs.readFile(file, 'utf8');
const now = () => performance.timeOrigin + performance.now();

const server = await serve(elmo, file);
const browser = await launch();
const result = { saves, samples: [], missed: 0 };
try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('live'));
  await page.evaluate(() => {
    window.__marks = [];
    new MutationObserver(() => {
      window.__marks.push({
        version: Number(document.documentElement.dataset.version),
        at: performance.timeOrigin + performance.now(),
        hasNode: Boolean(document.querySelector('#diagram g.node')),
      });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-version'] });
  });
  await sleep(300);
  let version = await page.evaluate(() => Number(document.documentElement.dataset.version));
  for (let i = 1; i <= saves; i++) {
    const text = base.replace('label: Step 0 of stage 0 ', `label: Step 0 of stage 0 (save ${i}) `);
    const written = now();
    await fs.writeFile(file, text);
    const want = version + 1;
    try {
      await page.waitForFunction((v) => window.__marks.some((m) => m.version >= v), want, { timeout: 5000, polling: 'raf' });
      const mark = await page.evaluate((v) => window.__marks.find((m) => m.version >= v), want);
      // The label may wrap across lines, so compare without white space.
      const label = await page.evaluate((i) => [...document.querySelectorAll('#diagram g.node text')]
        .some((t) => t.textContent.replace(/\s+/g, '').includes(`(save${i})`)), i);
      if (!label || !mark.hasNode) throw new Error(`save ${i}: the new label is not on screen`);
      result.samples.push(Math.round((mark.at - written) * 10) / 10);
      version = mark.version;
    } catch (e) {
      result.missed += 1;
      process.stderr.write(`${e.message}\n`);
      version = await page.evaluate(() => Number(document.documentElement.dataset.version));
    }
    // Well apart, so that each save is its own burst.
    await sleep(150);
  }
} finally {
  await browser.close();
  server.child.kill('SIGINT');
}
const sorted = [...result.samples].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
result.median = pct(50);
result.p95 = pct(95);
result.max = sorted[sorted.length - 1];
console.log(JSON.stringify(result));
