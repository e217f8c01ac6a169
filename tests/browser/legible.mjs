// The diagram as a room sees it: each model served in presentation mode at 1920×1080, label
// sizes measured on screen, and step mode checked to zoom in on what it reveals.
//
//   node tests/browser/legible.mjs ELMO_BINARY SCREENSHOT_DIR MODEL...
//
// Prints one JSON document on stdout: {"checks": [{"name", "ok", "detail"}], "sizes": [...]}.
// tests/it/serve_browser.rs runs it and fails on any check that is not ok.
import path from 'node:path';
import fs from 'node:fs/promises';
import { launch, serve, sleep } from './lib.mjs';

const [elmo, shotDir, ...models] = process.argv.slice(2);
if (!elmo || !shotDir || !models.length) {
  console.error('usage: node legible.mjs ELMO_BINARY SCREENSHOT_DIR MODEL...');
  process.exit(2);
}
await fs.mkdir(shotDir, { recursive: true });

const checks = [];
const sizes = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
}

// The smallest label and measure line among the boxes on screen: the height of each line's
// box as the browser draws it, and the font size it is drawn at.
function measure() {
  const svg = document.querySelector('#diagram > svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shown = (sel) => [...document.querySelectorAll(sel)]
    .filter((t) => !t.closest('.step-hidden'))
    .filter((t) => {
      const r = t.getBoundingClientRect();
      return r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight;
    });
  const summary = (sel) => {
    const lines = shown(sel);
    const heights = lines.map((t) => t.getBoundingClientRect().height);
    const fonts = lines.map((t) => parseFloat(getComputedStyle(t.closest('text')).fontSize) * scale);
    return {
      count: lines.length,
      height: heights.length ? Math.min(...heights) : 0,
      font: fonts.length ? Math.min(...fonts) : 0,
    };
  };
  return {
    label: summary('#diagram g.node text.label tspan'),
    measure: summary('#diagram g.node text.measure tspan'),
  };
}

const browser = await launch();
for (const file of models) {
  const name = path.basename(file, '.yaml');
  const server = await serve(elmo, file);
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${server.url}?present`);
  await page.waitForSelector('#diagram > svg');
  await sleep(300);
  const full = await page.evaluate(measure);
  sizes.push({ model: name, view: 'present', ...full });
  await page.screenshot({ path: path.join(shotDir, `legible-${name}-present.png`) });
  check(`${name}: every label is at least 18 px on a 1080p screen`,
    full.label.count > 0 && full.label.font >= 18 && full.label.height >= 18, full.label);
  check(`${name}: measure text is at least 14 px on a 1080p screen`,
    full.measure.count === 0 || full.measure.font >= 14, full.measure);

  // Step mode: arrows do what the key says, each step frames what it shows, and the key
  // lists only the assumptions on screen.
  await page.keyboard.press('s');
  await sleep(200);
  const steps = [];
  const stageCount = await page.evaluate(() => document.querySelectorAll('#diagram g.band').length);
  for (let i = 0; i < stageCount; i++) {
    await sleep(350);
    steps.push(await page.evaluate(() => {
      const shownStages = [...document.querySelectorAll('#diagram g.band:not(.step-later)')]
        .map((b) => b.dataset.stage);
      const keyed = [...document.querySelectorAll('#step-key li .step-key-number')]
        .map((n) => n.textContent);
      const offScreen = [...document.querySelectorAll('#diagram g.assumption')]
        .filter((a) => keyed.includes(a.querySelector('.amark-text').textContent))
        .filter((a) => !a.dataset.stages.split(' ').every((s) => shownStages.includes(s)));
      const svgKey = getComputedStyle(document.querySelector('#diagram g.legend')).display;
      const label = [...document.querySelectorAll('#diagram g.node:not(.step-hidden) text.label tspan')]
        .map((t) => t.getBoundingClientRect().height);
      // What is shown fills the screen across or down (above the step key).
      const shownBoxes = [...document.querySelectorAll('#diagram g.node:not(.step-hidden) > rect.box')]
        .map((b) => b.getBoundingClientRect());
      const bands = [...document.querySelectorAll('#diagram g.band:not(.step-later) > rect')]
        .map((b) => b.getBoundingClientRect());
      const key = document.getElementById('step-key');
      const floor = key.hidden ? document.getElementById('stepper').getBoundingClientRect().top
        : key.getBoundingClientRect().top;
      const right = Math.max(...bands.map((r) => r.right));
      const low = Math.max(...shownBoxes.map((r) => r.bottom));
      const fills = right <= innerWidth + 1 && low <= floor + 1
        && (right >= innerWidth * 0.85 || low >= floor * 0.8);
      return {
        stages: shownStages.length, keyed: keyed.length, offScreen: offScreen.length, svgKey, fills,
        label: label.length ? Math.min(...label) : 0,
        stepper: document.getElementById('stepper').textContent,
      };
    }));
    if (i === 1) await page.screenshot({ path: path.join(shotDir, `legible-${name}-step2.png`) });
    if (i === 0) {
      // Down pans; it must not step.
      await page.keyboard.press('ArrowDown');
      await sleep(100);
      const after = await page.evaluate(() => document.getElementById('stepper').textContent);
      check(`${name}: ↓ does not change the step, as the key says`, after === steps[0].stepper, after);
    }
    await page.keyboard.press('ArrowRight');
  }
  sizes.push({ model: name, view: 'steps', steps });
  check(`${name}: → reveals one more stage per press`,
    steps.every((s, i) => s.stages === i + 1), steps.map((s) => s.stages));
  check(`${name}: at every step each label on screen is at least 18 px high`,
    steps.every((s) => s.label >= 18), steps.map((s) => s.label));
  check(`${name}: step mode zooms in (labels at step 2 are larger than the whole drawing's)`,
    steps[1].label > full.label.height * 1.1, { step2: steps[1].label, full: full.label.height });
  check(`${name}: each step's stages fill the screen, across or down, and none is cut off`,
    steps.every((s) => s.fills), steps.map((s) => s.fills));
  check(`${name}: the step key lists only assumptions on screen`,
    steps.every((s) => s.offScreen === 0), steps.map((s) => s.offScreen));
  check(`${name}: the drawing's own key gives way to the step key until the last step`,
    steps.slice(0, -1).every((s) => s.svgKey === 'none') && steps[steps.length - 1].svgKey !== 'none',
    steps.map((s) => s.svgKey));
  await page.keyboard.press('Escape');
  await sleep(300);
  const back = await page.evaluate(measure);
  check(`${name}: leaving step mode fits the whole drawing again`,
    Math.abs(back.label.height - full.label.height) < 0.5, { back: back.label.height, full: full.label.height });
  await page.close();
  server.child.kill();
}
await browser.close();
console.log(JSON.stringify({ checks, sizes }, null, 1));
