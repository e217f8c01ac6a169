// `elmo serve` started on a file that is already broken, in headless Chromium at 1920×1080:
// the page shows the errors in large type under the model's title (never an empty canvas
// under a header reading "elmo elmo"), the terminal says nothing has been drawn, and the
// first good save brings the diagram as usual.
//
//   node tests/browser/broken_start.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR
//
// Prints {"checks": [...], "screenshots": [...]} on stdout, like serve.mjs.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { exited, launch, model, save, serve, sleep } from './lib.mjs';

const [elmo, dir, shotDir] = process.argv.slice(2);
if (!elmo || !dir || !shotDir) {
  console.error('usage: node broken_start.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR');
  process.exit(2);
}

const checks = [];
const screenshots = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
}
await fs.mkdir(dir, { recursive: true });
await fs.mkdir(shotDir, { recursive: true });

const TITLE = 'Step Up youth mentoring';
const problems = [];
async function newPage(browser, label, query = '') {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${label} console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${label} error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, query };
}
async function shot(page, name) {
  const p = path.join(shotDir, name);
  await page.screenshot({ path: p });
  screenshots.push(p);
}

// What the page shows in place of the diagram, measured on screen.
const looks = (page) => page.evaluate(() => {
  const q = (s) => document.querySelector(s);
  const px = (e) => (e ? parseFloat(getComputedStyle(e).fontSize) : 0);
  const shown = (e) => Boolean(e) && !e.hidden && getComputedStyle(e).display !== 'none'
    && e.getBoundingClientRect().height > 0;
  const card = q('#broken');
  const r = card ? card.getBoundingClientRect() : { width: 0, height: 0, top: 0, bottom: 0 };
  const msg = q('#broken .broken-msg');
  const msgBox = msg ? msg.getBoundingClientRect() : null;
  return {
    card: shown(card),
    cardText: card ? card.innerText : '',
    cardArea: r.width * r.height,
    titleText: q('#broken .broken-title') ? q('#broken .broken-title').textContent : null,
    titlePx: px(q('#broken .broken-title')),
    leadPx: px(q('#broken .broken-lead')),
    msgPx: px(msg),
    msgOnScreen: Boolean(msgBox) && msgBox.top >= 0 && msgBox.bottom <= innerHeight && msgBox.width > 0,
    header: q('#bar').innerText.replace(/\s+/g, ' '),
    h1: q('#title').textContent,
    docTitle: document.title,
    svg: Boolean(q('#diagram > svg')),
    banner: shown(q('#banner')),
    broken: document.documentElement.hasAttribute('data-broken'),
    version: Number(document.documentElement.dataset.version),
  };
});

const browser = await launch();
const servers = [];
try {
  // 1. A model whose links are broken: the title can be read.
  const file = path.join(dir, 'model.yaml');
  const broken = model({ typo: true });
  await fs.writeFile(file, broken);
  const server = await serve(elmo, file);
  servers.push(server);
  const { stdout } = await promisify(execFile)(elmo, ['check', '--format', 'json', file]).catch((e) => e);
  const expected = JSON.parse(stdout).files[0].diagnostics.filter((d) => d.severity === 'error');
  check('elmo check agrees the file is broken', expected.length === 1, expected);

  const { context, page } = await newPage(browser, 'main');
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('live'));
  let l = await looks(page);
  check('the errors take the diagram\'s place', l.card && !l.svg && l.broken && l.cardArea > 1920 * 1080 * 0.25, l);
  check('the model\'s title heads the error', l.titleText === TITLE && l.h1 === TITLE
    && l.docTitle === `${TITLE} · elmo`, l);
  check('the header never says "elmo elmo"', !/elmo\s+elmo/.test(l.header) && l.h1 !== 'elmo', l.header);
  check('the title is in large type', l.titlePx >= 40, `${l.titlePx}px`);
  check('the error is in large type and on screen', l.msgPx >= 26 && l.leadPx >= 32 && l.msgOnScreen,
    `lead ${l.leadPx}px, message ${l.msgPx}px`);
  const e0 = expected[0] || {};
  check('the error reads as elmo check reports it',
    [e0.code, `line ${e0.line}, column ${e0.column}`, e0.message, e0.help].every((w) => w && l.cardText.includes(w))
    && l.cardText.includes('Nothing to draw yet: model.yaml has 1 error'), l.cardText);
  check('no banner repeats it', !l.banner, l);
  await shot(page, 'serve-broken-start.png');

  // The same in presentation mode, where the panel and the header are gone.
  await page.keyboard.press('p');
  await sleep(200);
  l = await looks(page);
  check('presentation mode shows the error in larger type', l.card && l.msgPx >= 36 && l.msgOnScreen, l);
  await shot(page, 'serve-broken-start-present.png');
  await page.keyboard.press('p');

  await sleep(200);
  const said = server.stderr();
  check('the terminal says nothing has been drawn', /1 error; nothing drawn yet/.test(said)
    && !/keeps|last good/.test(said), said);

  // 2. A good save: the diagram, as usual.
  await save(file, model(), 'in-place');
  try {
    await page.waitForSelector('#diagram > svg g.node', { timeout: 8000 });
  } catch (e) {
    check('the first good save draws the diagram', false, `${e.message}; stderr: ${server.stderr()}`);
  }
  await sleep(150);
  l = await looks(page);
  const fitted = await page.evaluate(() => {
    const r = document.querySelector('#diagram > svg').getBoundingClientRect();
    const v = document.querySelector('#viewport').getBoundingClientRect();
    return { w: r.width / v.width, h: r.height / v.height, nodes: document.querySelectorAll('#diagram g.node').length };
  });
  check('the first good save draws the diagram', l.svg && !l.card && !l.broken && l.version === 1, l);
  check('the diagram is fitted to the screen', fitted.nodes === 8 && (fitted.w > 0.8 || fitted.h > 0.8), fitted);
  check('the title stays', l.h1 === TITLE, l.h1);
  check('the terminal says it was drawn', /drawn.*\(version 1\)/.test(server.stderr()), server.stderr());
  await shot(page, 'serve-broken-start-fixed.png');

  // A later broken save is the usual stale case again, not the broken start.
  await save(file, broken, 'in-place');
  await page.waitForSelector('html[data-stale]', { timeout: 5000 }).catch(() => {});
  l = await looks(page);
  check('a later broken save keeps the diagram', l.svg && !l.card && l.banner, l);
  const violations = await page.evaluate(() => window.__csp || []);
  check('no CSP violation or script error', violations.length === 0 && problems.length === 0,
    [...violations, ...problems].slice(0, 5));
  await context.close();

  // 3. Not YAML at all, and no title to read: the file names the page.
  const file2 = path.join(dir, 'untitled.yaml');
  await fs.writeFile(file2, 'title: [\ninputs:\n  - id: a\n');
  const server2 = await serve(elmo, file2);
  servers.push(server2);
  const second = await newPage(browser, 'untitled');
  await second.page.goto(server2.url);
  l = await looks(second.page);
  check('without a title the file names the page', l.h1 === 'untitled.yaml' && l.titleText === null
    && l.docTitle === 'untitled.yaml · elmo' && !/elmo\s+elmo/.test(l.header), l);
  check('a syntax error shows in large type', l.card && l.msgPx >= 26 && l.cardText.includes('yaml-syntax'), l.cardText);
  await shot(second.page, 'serve-broken-start-untitled.png');
  await second.context.close();
} catch (e) {
  check('the test ran to the end', false, `${e.stack}\nstderr: ${servers.map((s) => s.stderr()).join('\n')}`);
} finally {
  await browser.close();
  for (const s of servers) {
    s.child.kill('SIGINT');
    const code = await exited(s.child, 5000);
    if (code === null) s.child.kill('SIGKILL');
  }
}

console.log(JSON.stringify({ checks, screenshots }, null, 1));
