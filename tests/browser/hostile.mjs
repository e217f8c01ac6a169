// A model full of injection attempts, shown the two ways a browser sees elmo's output: the
// page of `elmo serve` (diagram, hover popups, diagnostics panel) and the HTML report.
//
//   node tests/browser/hostile.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR
//
// Prints {"checks": [{"name", "ok", "detail"}]} on stdout; tests/it/serve_browser.rs fails on
// any check that is not ok. Every payload, if it ran, would set window.__pwned.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { launch, save, serve, sleep } from './lib.mjs';

const [elmo, dir, shotDir] = process.argv.slice(2);
if (!elmo || !dir || !shotDir) {
  console.error('usage: node hostile.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR');
  process.exit(2);
}
const checks = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
}

// Each would run script if it were ever parsed as markup, by a template engine, or followed.
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '</text></svg><svg onload="window.__pwned=3">',
  ']]><script>window.__pwned=4</script>',
  '"><iframe srcdoc="<script>parent.__pwned=5</script>">',
  "' onmouseover='window.__pwned=6' x='",
  'javascript:window.__pwned=7',
  '<a href="javascript:window.__pwned=8">click</a>',
  "{{constructor.constructor('window.__pwned=9')()}} ${window.__pwned=10}",
  '<style>*{display:none!important}</style>',
  '&lt;script&gt;window.__pwned=11&lt;/script&gt;',
  '<!-- --><math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=12">',
];
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const p = (i) => q(PAYLOADS[i % PAYLOADS.length]);

// Every free-text field of the format carries a payload, and the model is otherwise clean,
// so that it is drawn and every popup and report section has something to show.
const hostile = `title: ${p(0)}
vision: ${p(1)}
context: ${p(2)}
inputs:
  - id: money
    label: ${p(3)}
    description: ${p(4)}
    leads_to: [work]
activities:
  - id: work
    label: ${p(5)}
    leads_to: [done]
outputs:
  - id: done
    label: ${p(6)}
    measures: [count]
    leads_to: [better]
direct_impacts:
  - id: better
    label: ${p(7)}
    measures: [rate, story]
    leads_to: [wider]
indirect_impacts:
  - id: wider
    label: ${p(8)}
    measures: [rate]
    leads_to: [world]
systemic_impacts:
  - id: world
    label: ${p(9)}
    measures: [story]
measures:
  - id: count
    label: ${p(10)}
    unit: ${p(11)}
    baseline: 0
    target: 10
    source: records
    frequency: ${p(0)}
    owner: ${p(1)}
  - id: rate
    label: ${p(2)}
    unit: percent
    numerator: ${p(3)}
    denominator: ${p(4)}
    baseline: 10
    target: 20
    source: records
    frequency: yearly
  - id: story
    label: ${p(5)}
    kind: qualitative
    source: records
    frequency: ${p(6)}
sources:
  - id: records
    label: ${p(7)}
    personal_data: true
    storage: ${p(8)}
    shared_with: [${p(9)}]
    sharing: ${p(10)}
assumptions:
  - id: a1
    text: ${p(11)}
    applies_to: ["done -> better"]
    status: challenged
    evidence: ${p(0)}
  - id: a2
    text: ${p(1)}
    applies_to: [world]
`;

// A broken save whose diagnostics quote hostile text: an unknown key, bad ids, a bad enum.
const broken = `title: ok
inputs:
  - id: ${q('<img src=x onerror="window.__pwned=20">')}
    label: x
    ${'"<script>window.__pwned=21</script>"'}: 1
    leads_to: [${q('</text><script>window.__pwned=22</script>')}]
measures:
  - id: m
    label: m
    kind: ${q('<svg onload="window.__pwned=23">')}
`;

const squash = (s) => s.replace(/\s+/g, '');

/** Everything that would show that markup from the model became markup in the page. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    if (window.__pwned !== undefined) found.push(`window.__pwned = ${window.__pwned}`);
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(`<${el.localName} ${a.name}>`);
        if (/^(href|src|xlink:href|action|formaction|data)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) found.push(`<${el.localName} ${a.name}="${a.value}">`);
      }
      if (['iframe', 'img', 'math', 'a'].includes(el.localName)) found.push(`<${el.localName}>`);
    }
    // The page's own scripts carry the server's nonce; a script from the model could not.
    for (const s of document.querySelectorAll('script')) if (!s.nonce) found.push('<script> without nonce');
    return found;
  });
}

const execFileP = promisify(execFile);
await fs.mkdir(dir, { recursive: true });
await fs.mkdir(shotDir, { recursive: true });
const file = path.join(dir, 'hostile.yaml');
await fs.writeFile(file, hostile);

const checked = await execFileP(elmo, ['check', file]).then(() => 0, (e) => e.code);
check('the hostile model checks without errors, so it is drawn', checked === 0, `exit ${checked}`);

const browser = await launch();
const problems = [];

// The harness must be able to see a script that runs, or its silence proves nothing.
{
  const page = await browser.newPage();
  await page.setContent('<img src=x onerror="window.__pwned=99">');
  await page.waitForFunction(() => window.__pwned === 99, null, { timeout: 3000 }).catch(() => {});
  check('control: the sentinel does catch a script that runs', (await page.evaluate(() => window.__pwned)) === 99);
  await page.close();
}

// The served page.
const server = await serve(elmo, file);
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`serve: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('#diagram g.node', { timeout: 10000 });
  const ids = await page.evaluate(() => [...document.querySelectorAll('#diagram g.node')].map((n) => n.dataset.id));
  check('every node is drawn', ['money', 'work', 'done', 'better', 'wider', 'world'].every((id) => ids.includes(id)), ids);
  // Hover every node, so each popup (measures, assumptions, description) is built.
  const popups = [];
  for (const id of ids) {
    const box = await page.locator(`#diagram g.node[data-id="${id}"] rect.box`).boundingBox();
    if (!box) continue;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#popup:not([hidden])', { timeout: 3000 }).catch(() => {});
    popups.push(await page.evaluate(() => document.querySelector('#popup').innerText));
  }
  await page.mouse.move(2, 2);
  await sleep(300);
  const svgText = await page.evaluate(() => document.querySelector('#diagram svg').textContent);
  const popupText = popups.join('\n');
  const shown = squash(svgText + popupText + await page.evaluate(() => document.title));
  const missing = PAYLOADS.filter((s) => !shown.includes(squash(s)));
  check('served page: every payload shows as literal text', missing.length === 0, missing);
  check('served page: the popups show measure and assumption text literally',
    popupText.includes(PAYLOADS[11]) && popupText.includes(PAYLOADS[2]), popupText.slice(0, 400));
  const found = await injected(page);
  check('served page: nothing from the model became markup or ran', found.length === 0, found);
  await page.screenshot({ path: path.join(shotDir, 'hostile-serve.png') });

  // A broken save: the diagnostics panel quotes the hostile ids and keys.
  const before = await page.evaluate(() => Number(document.documentElement.dataset.version));
  await save(file, broken, 'in-place');
  await page.waitForFunction(() => document.querySelectorAll('#diagnostics li, .diag li, li.diag').length > 0
    || /error/i.test(document.body.innerText), null, { timeout: 5000 }).catch(() => {});
  await sleep(300);
  const panel = await page.evaluate(() => document.body.innerText);
  check('served page: the diagnostics quote the hostile ids literally',
    panel.includes('<img src=x onerror="window.__pwned=20">') && panel.includes('</text><script>window.__pwned=22</script>'),
    panel.slice(0, 600));
  const found2 = await injected(page);
  check('served page: nothing in the diagnostics became markup or ran', found2.length === 0, found2);
  check('served page: the broken save did not count as a version',
    (await page.evaluate(() => Number(document.documentElement.dataset.version))) === before);
  await page.screenshot({ path: path.join(shotDir, 'hostile-serve-broken.png') });
  await page.close();
} finally {
  server.child.kill('SIGINT');
}

// The HTML report, opened from disk as a funder would.
await fs.writeFile(file, hostile);
const report = path.join(dir, 'report.html');
const made = await execFileP(elmo, ['report', file, '--format', 'html', '-o', report]).then(() => 0, (e) => e.code);
check('the report is written', made === 0, `exit ${made}`);
{
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`report: ${e.message}`));
  await page.goto(pathToFileURL(report).href);
  await sleep(300);
  const text = await page.evaluate(() => document.body.textContent + document.title);
  const missing = PAYLOADS.filter((s) => !squash(text).includes(squash(s)));
  check('report: every payload shows as literal text', missing.length === 0, missing);
  const found = await injected(page);
  check('report: nothing from the model became markup or ran', found.length === 0, found);
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '');
  check('report: carries a CSP that allows no script', csp.includes("default-src 'none'") && !csp.includes('script-src'), csp);
  await page.screenshot({ path: path.join(shotDir, 'hostile-report.png'), fullPage: true });
  await page.close();
}

check('no script errors', problems.length === 0, problems);
await browser.close();
console.log(JSON.stringify({ checks }));
