// Shared by serve.mjs (the end-to-end test) and latency.mjs (the benchmark): start
// `elmo serve`, launch headless Chromium, write models in the ways editors do.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync',
  // Fifty pages in one browser: keep background pages running at full speed.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Starts `elmo serve FILE --port 0` and resolves with the process and the URL it prints. */
export function serve(elmo, file, extra = []) {
  const child = spawn(elmo, ['serve', file, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`elmo serve printed no URL; stderr: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^Serving (http:\/\/127\.0\.0\.1:\d+\/)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => stderr, line: m[0] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`elmo serve exited with ${code}: ${stderr}`));
    });
  });
}

/** Waits for a child process to exit, resolving with its exit code (or null on timeout). */
export function exited(child, ms) {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.on('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

/**
 * A small but complete model. `extras` adds outputs with those ids; `label` changes the
 * first activity's label; `typo` breaks a link (an unknown-reference error).
 */
export function model({ extras = [], label = 'Weekly mentoring sessions', typo = false } = {}) {
  const extraNodes = extras.map((id) => `  - id: ${id}
    label: Extra output ${id}
    measures: [attendance]
    leads_to: [confidence]
`).join('');
  return `title: Step Up youth mentoring
vision: Young people leave school with a plan and someone in their corner
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sessions]
  - id: funding
    label: Three years of council funding
    leads_to: [sessions, training]
activities:
  - id: sessions
    label: ${label}
    leads_to: [attended]
  - id: training
    label: Mentor training days
    leads_to: [${['attended', ...extras].join(', ')}]
outputs:
  - id: attended
    label: Sessions attended
    description: Counted from the session log
    measures: [attendance]
    leads_to: [${typo ? 'confidance' : 'confidence'}]
${extraNodes}direct_impacts:
  - id: confidence
    label: Confidence grows <img src=x onerror=alert(1)>
    description: Mentees feel able to talk about their future
    measures: [confidence-score]
    leads_to: [plans]
indirect_impacts:
  - id: plans
    label: Young people make plans
    measures: [plan-rate]
    leads_to: [neet]
systemic_impacts:
  - id: neet
    label: Fewer young people not in education, employment or training
    measures: [neet-rate]
measures:
  - id: attendance
    label: Share of sessions attended
    unit: percent
    baseline: 40
    target: 75
    source: log
    frequency: monthly
  - id: confidence-score
    label: Self-rated confidence
    unit: score
    baseline: 3.1
    target: 4
    source: survey
    frequency: termly
  - id: plan-rate
    label: Mentees with a written plan
    unit: percent
    baseline: 20
    target: 60
    source: log
    frequency: termly
  - id: neet-rate
    label: NEET rate at 18
    unit: percent
    baseline: 14
    target: 9
    source: council
    frequency: yearly
sources:
  - id: log
    label: Session log
  - id: survey
    label: Mentee survey
  - id: council
    label: Council NEET statistics
assumptions:
  - id: trust
    text: Mentees trust their mentor within a month
    applies_to: ["sessions -> attended"]
    status: challenged
  - id: talk
    text: Confidence shows in how mentees talk about their future
    applies_to: [confidence]
    status: holding
`;
}

/** Saves `text` to `file` the way an editor might. */
export async function save(file, text, style) {
  switch (style) {
    case 'in-place':
      await fs.writeFile(file, text);
      break;
    case 'rename': {
      // vim's and JetBrains' safe write: a temporary file renamed over the model.
      const tmp = `${file}.tmp~`;
      await fs.writeFile(tmp, text);
      await fs.rename(tmp, file);
      break;
    }
    case 'recreate':
      await fs.unlink(file);
      await sleep(60); // long enough for the server to see the file missing
      await fs.writeFile(file, text);
      break;
    case 'half': {
      // Half the bytes, a pause the server will notice, then the rest.
      const fh = await fs.open(file, 'w');
      const half = Math.floor(text.length / 2);
      await fh.write(text.slice(0, half));
      await fh.sync();
      await sleep(120);
      await fh.write(text.slice(half));
      await fh.close();
      break;
    }
    default:
      throw new Error(`unknown save style ${style}`);
  }
}
