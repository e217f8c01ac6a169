// End-to-end test of `elmo serve` in headless Chromium.
//
//   node tests/browser/serve.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR
//
// Prints one JSON document on stdout: {"checks": [{"name", "ok", "detail"}], "screenshots": [...]}.
// tests/it/serve_browser.rs runs it and fails on any check that is not ok.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { exited, launch, model, save, serve, sleep } from './lib.mjs';

const [elmo, dir, shotDir] = process.argv.slice(2);
if (!elmo || !dir || !shotDir) {
  console.error('usage: node serve.mjs ELMO_BINARY WORK_DIR SCREENSHOT_DIR');
  process.exit(2);
}

const checks = [];
const screenshots = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
}

const file = path.join(dir, 'model.yaml');
let text = model();
await fs.mkdir(dir, { recursive: true });
await fs.mkdir(shotDir, { recursive: true });
await fs.writeFile(file, text);

const server = await serve(elmo, file);
check('prints exactly the URL line', /^Serving http:\/\/127\.0\.0\.1:\d+\/$/.test(server.line), server.line);
const url = server.url;
const browser = await launch();

// Everything the page reports as a problem: CSP violations, script errors, console errors.
const problems = [];
async function watchPage(page, label) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${label} console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${label} error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
    });
  });
}
async function cspViolations(page) {
  return page.evaluate(() => window.__csp || []);
}

const version = (page) => page.evaluate(() => Number(document.documentElement.dataset.version));
const nodeCount = (page) => page.evaluate(() => document.querySelectorAll('#diagram g.node').length);
async function waitForNode(page, id, above, timeout = 5000) {
  await page.waitForFunction(
    ([id, above]) => document.querySelector(`#diagram g.node[data-id="${id}"]`)
      && Number(document.documentElement.dataset.version) > above,
    [id, above],
    { timeout },
  );
}
async function shot(page, name) {
  const p = path.join(shotDir, name);
  await page.screenshot({ path: p });
  screenshots.push(p);
}

try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  await watchPage(page, 'main');
  const response = await page.goto(url);
  const csp = response.headers()['content-security-policy'] || '';
  check('the page sends a strict CSP', csp.includes("default-src 'none'") && /script-src 'nonce-[0-9a-f]+'/.test(csp) && !csp.includes('unsafe'), csp);
  await page.waitForSelector('#diagram svg g.node');
  check('the diagram is inline in #diagram', await page.evaluate(() => Boolean(document.querySelector('#diagram > svg'))));
  check('the diagnostics panel exists', await page.evaluate(() => Boolean(document.querySelector('#diagnostics'))));
  const v0 = await version(page);
  check('the first build is version 1', v0 === 1, `version ${v0}`);
  check('the SVG style is applied under the CSP',
    await page.evaluate(() => getComputedStyle(document.querySelector('#diagram .node .box')).fill !== 'rgb(0, 0, 0)'),
    'an unstyled box would be filled black');
  // Model text is text: the label's <img> must not exist as an element.
  check('model text never becomes markup', await page.evaluate(() => document.querySelectorAll('img').length === 0
    && [...document.querySelectorAll('#diagram g.node text')].some((t) => t.textContent.includes('<img'))));
  // Let the event stream connect before the first save.
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('live'));
  await sleep(200);

  // Zoom and pan, to check that they survive a redraw.
  await page.mouse.move(800, 450);
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');
  const transformBefore = await page.evaluate(() => document.querySelector('#diagram').style.transform);

  // Each way editors save.
  const extras = [];
  let v = v0;
  for (const style of ['in-place', 'rename', 'recreate', 'half']) {
    const id = `extra-${style}`;
    extras.push(id);
    text = model({ extras });
    const t0 = Date.now();
    await save(file, text, style);
    try {
      await waitForNode(page, id, v);
      const nv = await version(page);
      check(`${style} save redraws`, nv > v, `version ${v} -> ${nv} in ${Date.now() - t0} ms`);
      v = nv;
    } catch (e) {
      check(`${style} save redraws`, false, `${e.message}; stderr: ${server.stderr()}`);
    }
  }
  const transformAfter = await page.evaluate(() => document.querySelector('#diagram').style.transform);
  check('zoom and pan survive redraws', transformBefore === transformAfter && transformBefore.includes('scale'),
    `${transformBefore} / ${transformAfter}`);
  check('no page reload happened', await page.evaluate(() => performance.getEntriesByType('navigation').length === 1
    && !document.documentElement.hasAttribute('data-reloaded')));
  await page.keyboard.press('0');
  await sleep(100);
  await shot(page, 'serve-screenshot.png');

  // A broken save: the last good diagram stays, marked stale, and the error shows.
  const nodesBefore = await nodeCount(page);
  const broken = model({ extras, typo: true });
  await save(file, broken, 'in-place');
  await page.waitForSelector('html[data-stale]', { timeout: 5000 }).catch(() => {});
  const stale = await page.evaluate(() => ({
    stale: document.documentElement.hasAttribute('data-stale'),
    banner: document.querySelector('#banner').hidden ? '' : document.querySelector('#banner').innerText,
    diagnostics: document.querySelector('#diagnostics').innerText,
    nodes: document.querySelectorAll('#diagram g.node').length,
    opacity: getComputedStyle(document.querySelector('#diagram > svg')).opacity,
  }));
  check('a broken save marks the diagram stale', stale.stale && Number(stale.opacity) < 1, stale);
  check('the banner says the last good version is shown',
    /Showing the last good version — the file has 1 error/.test(stale.banner), stale.banner);
  check('the last good diagram stays', stale.nodes === nodesBefore, `${nodesBefore} -> ${stale.nodes}`);
  check('the version does not move on a broken save', (await version(page)) === v);
  // The page shows what `elmo check` says.
  const { stdout } = await promisify(execFile)(elmo, ['check', '--format', 'json', file]).catch((e) => e);
  const expected = JSON.parse(stdout).files[0].diagnostics.filter((d) => d.severity === 'error');
  const line = broken.split('\n').findIndex((l) => l.includes('confidance')) + 1;
  check('elmo check finds the typo where the test put it', expected.length === 1 && expected[0].line === line,
    expected);
  for (const d of expected) {
    const want = [d.code, `line ${d.line}, column ${d.column}`, d.message, d.help].filter(Boolean);
    const missing = want.filter((w) => !stale.diagnostics.includes(w));
    check(`the panel shows ${d.code} as elmo check does`, missing.length === 0, { missing, panel: stale.diagnostics });
  }
  await shot(page, 'serve-stale.png');

  // The fix clears it.
  text = model({ extras: [...extras, 'extra-fixed'] });
  await save(file, text, 'in-place');
  try {
    await waitForNode(page, 'extra-fixed', v);
    const cleared = await page.evaluate(() => !document.documentElement.hasAttribute('data-stale')
      && document.querySelector('#banner').hidden);
    check('the fix clears the stale marker', cleared);
    v = await version(page);
  } catch (e) {
    check('the fix clears the stale marker', false, e.message);
  }

  // Hover a node: its measures and assumptions, as text.
  const box = await page.locator('#diagram g.node[data-id="confidence"] rect.box').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#popup:not([hidden])', { timeout: 3000 }).catch(() => {});
  const popup = await page.evaluate(() => document.querySelector('#popup').innerText);
  check('hovering a node shows its measures and assumptions',
    popup.includes('Self-rated confidence') && popup.includes('3.1 → 4 score')
    && popup.includes('Confidence shows in how mentees talk') && popup.includes('<img src=x'), popup);
  check('the node has no native tooltip competing with the popup',
    await page.evaluate(() => !document.querySelector('#diagram g.node > title')));
  await shot(page, 'serve-popup.png');
  await page.mouse.move(5, 5);

  // Step mode: one stage at a time.
  await page.keyboard.press('s');
  const stepCounts = [];
  for (let i = 0; i < 7; i++) {
    stepCounts.push(await page.evaluate(() => {
      const shown = [...document.querySelectorAll('#diagram g.node:not(.step-hidden)')];
      const ids = new Set(shown.map((n) => n.dataset.id));
      const links = [...document.querySelectorAll('#diagram g.link[data-from]:not(.step-hidden)')];
      return {
        stages: [...new Set(shown.map((n) => n.classList[1]))],
        danglingLinks: links.filter((l) => !ids.has(l.dataset.from) || !ids.has(l.dataset.to)).length,
      };
    }));
    if (i === 1) {
      await sleep(400); // the reveal fades in
      await shot(page, 'serve-step.png');
    }
    await page.keyboard.press('ArrowRight');
  }
  const order = ['inputs', 'activities', 'outputs', 'direct_impacts', 'indirect_impacts', 'systemic_impacts'];
  check('step mode reveals one stage per key press',
    stepCounts.slice(0, 6).every((s, i) => s.stages.join() === order.slice(0, i + 1).join())
    && stepCounts[6].stages.length === 6, stepCounts.map((s) => s.stages.length));
  check('step mode never shows a link to a hidden node', stepCounts.every((s) => s.danglingLinks === 0));
  await page.keyboard.press('Escape');
  check('Escape leaves step mode', await page.evaluate(() => !document.querySelector('.step-hidden')));

  // Keyboard zoom and fit.
  await page.keyboard.press('0');
  const fitScale = await page.evaluate(() => document.querySelector('#diagram').style.transform);
  await page.keyboard.press('+');
  const zoomed = await page.evaluate(() => document.querySelector('#diagram').style.transform);
  await page.keyboard.press('0');
  check('+ zooms and 0 fits again', zoomed !== fitScale
    && (await page.evaluate(() => document.querySelector('#diagram').style.transform)) === fitScale, [fitScale, zoomed]);
  // Wheel zoom and drag pan.
  await page.mouse.move(800, 450);
  await page.mouse.wheel(0, -300);
  await sleep(50);
  await page.mouse.down();
  await page.mouse.move(700, 400, { steps: 5 });
  await page.mouse.up();
  const dragged = await page.evaluate(() => document.querySelector('#diagram').style.transform);
  check('wheel zooms and drag pans', dragged !== fitScale, dragged);
  await page.keyboard.press('0');

  // Presentation mode.
  await page.keyboard.press('p');
  await sleep(300);
  const present = await page.evaluate(() => ({
    present: document.documentElement.classList.contains('present'),
    bar: getComputedStyle(document.querySelector('#bar')).display,
    url: location.search,
  }));
  check('p enters presentation mode without chrome', present.present && present.bar === 'none', present);
  await shot(page, 'serve-present.png');
  await page.keyboard.press('p');
  await sleep(100);

  // Themes: t cycles, and the diagram is redrawn server-side in that theme.
  await page.keyboard.press('t');
  await page.waitForSelector('#diagram svg[data-theme="dark"]', { timeout: 5000 }).catch(() => {});
  const dark = await page.evaluate(() => ({
    svg: document.querySelector('#diagram svg').dataset.theme,
    page: document.documentElement.dataset.theme,
    bg: getComputedStyle(document.body).backgroundColor,
    url: location.search,
  }));
  check('t switches to the dark theme, page and diagram', dark.svg === 'dark' && dark.page === 'dark'
    && dark.bg === 'rgb(13, 17, 23)' && dark.url.includes('theme=dark'), dark);
  check('a theme change is not a new version', (await version(page)) === v);
  await shot(page, 'serve-dark.png');
  // A save while dark stays dark.
  text = model({ extras: [...extras, 'extra-fixed', 'extra-dark'] });
  await save(file, text, 'rename');
  try {
    await waitForNode(page, 'extra-dark', v);
    v = await version(page);
    check('a save keeps the chosen theme', await page.evaluate(() => document.querySelector('#diagram svg').dataset.theme === 'dark'));
  } catch (e) {
    check('a save keeps the chosen theme', false, e.message);
  }
  const contrastPage = await context.newPage();
  await watchPage(contrastPage, 'contrast');
  await contrastPage.goto(`${url}?theme=contrast&present`);
  await contrastPage.waitForSelector('#diagram svg[data-theme="contrast"]');
  await sleep(200);
  check('?theme=contrast&present opens in that theme, presenting',
    await contrastPage.evaluate(() => document.documentElement.classList.contains('present')));
  await shot(contrastPage, 'serve-contrast-present.png');
  for (const [label, p] of [['main', page], ['contrast', contrastPage]]) {
    const violations = await cspViolations(p);
    check(`no CSP violation (${label} page)`, violations.length === 0, violations);
  }
  await contrastPage.close();

  // Many viewers: fifty pages, each in its own browser context (as fifty laptops would be;
  // one browser profile opens at most six streams to one server).
  const viewers = [];
  const t50 = Date.now();
  // In batches, so that a two-core machine is not asked to start fifty renderers at once.
  for (let batch = 0; batch < 5; batch++) {
    const opening = [];
    for (let i = 0; i < 10; i++) {
      opening.push((async () => {
        const ctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
        const p = await ctx.newPage();
        await watchPage(p, `viewer ${batch * 10 + i}`);
        const pending = new Map();
        p.on('request', (r) => pending.set(r, `${r.url()} sent at ${Date.now() - t50}`));
        p.on('response', (r) => pending.set(r.request(), `${r.url()} answered ${r.status()} at ${Date.now() - t50}`));
        p.on('requestfinished', (r) => pending.delete(r));
        p.on('requestfailed', (r) => pending.set(r, `${r.url()} failed ${r.failure()?.errorText}`));
        // A shared machine under load can be slow to start renderers: allow for it, and on
        // a failure say whether the server was still answering.
        try {
          await p.goto(url, { timeout: 120000, waitUntil: 'domcontentloaded' });
        } catch (e) {
          const alive = await fetch(`${url}state.json`, { signal: AbortSignal.timeout(5000) })
            .then((r) => `server answers ${r.status}`, (err) => `server silent: ${err.message}`);
          throw new Error(`viewer ${batch * 10 + i}: ${e.message.split('\n')[0]} (${alive}; pending: ${[...pending.values()].join('; ')})`);
        }
        viewers.push({ ctx, p });
      })());
    }
    await Promise.all(opening);
    console.error(`serve.mjs: ${viewers.length} viewers open after ${Date.now() - t50} ms`);
  }
  await Promise.all(viewers.map(({ p }) => p.waitForFunction(() => document.querySelector('#status').textContent.startsWith('live'), null, { timeout: 30000 })));
  const opened = Date.now() - t50;
  await sleep(500);
  const state = async () => (await fetch(`${url}state.json`)).json();
  const connected = (await state()).viewers;
  check('fifty viewers connect', connected >= 51, `viewers ${connected} after ${opened} ms`);
  text = model({ extras: [...extras, 'extra-fixed', 'extra-dark', 'extra-fifty'] });
  const tSave = Date.now();
  await save(file, text, 'in-place');
  const updated = await Promise.all(viewers.map(({ p }) => waitForNode(p, 'extra-fifty', v, 10000).then(() => true, () => false)));
  check('all fifty viewers update after one save', updated.every(Boolean),
    `${updated.filter(Boolean).length}/50 in ${Date.now() - tSave} ms`);
  v = await version(page);
  const viewerViolations = (await Promise.all(viewers.map(({ p }) => cspViolations(p)))).flat();
  check('no CSP violation (fifty viewers)', viewerViolations.length === 0, viewerViolations.slice(0, 3));
  await Promise.all(viewers.map(({ ctx }) => ctx.close()));
  // A closed tab is noticed within about a second (its stream sees end of file), without
  // waiting for a save or a heartbeat.
  const tClose = Date.now();
  let left = (await state()).viewers;
  while (left > 1 && Date.now() - tClose < 5000) {
    await sleep(100);
    left = (await state()).viewers;
  }
  check('closed tabs are dropped', left === 1, `viewers ${left} after ${Date.now() - tClose} ms`);

  // Hygiene: only the server's own routes.
  const get = async (p, headers = {}) => (await fetch(url + p, { headers })).status;
  const statuses = {
    nope: await get('nope'), model: await get('model.yaml'), traversal: await get('../model.yaml'),
    svg: await get('diagram.svg'), state: await get('state.json'),
  };
  check('unknown paths are 404, own routes 200', statuses.nope === 404 && statuses.model === 404
    && statuses.traversal === 404 && statuses.svg === 200 && statuses.state === 200, statuses);
  const post = (await fetch(url, { method: 'POST', body: 'x' })).status;
  check('only GET and HEAD', post === 405, `POST ${post}`);

  const mainViolations = await cspViolations(page);
  check('no CSP violation or script error anywhere', mainViolations.length === 0 && problems.length === 0,
    [...mainViolations, ...problems].slice(0, 5));
  check('the model file was never written by elmo', (await fs.readFile(file, 'utf8')) === text);
  await context.close();
} catch (e) {
  check('the test ran to the end', false, `${e.stack}\nstderr: ${server.stderr()}`);
} finally {
  await browser.close();
  server.child.kill('SIGINT');
  const code = await exited(server.child, 5000);
  check('Ctrl-C stops the server with status 0', code === 0, `exit ${code}; stderr tail: ${server.stderr().slice(-300)}`);
  if (code === null) server.child.kill('SIGKILL');
}

console.log(JSON.stringify({ checks, screenshots }, null, 1));
