#!/usr/bin/env node
// The timeline's HTML file (what `bridge run --timeline` writes) in headless Chromium with every
// network request refused: it renders, its script folds and unfolds rows, zooms, moves the focus
// with the keyboard, takes a live update keeping the folding, and breaks no CSP rule.
// Needs `npm run build && npm run compile` (the page script and the compiled fixtures).
//
//   node test/harness/timeline-page.mjs [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parseArgs, log, launchBrowser, HERE } from './lib.mjs';

const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);
const { crossCloudRun } = require(path.join(ROOT, 'out/test/unit/timeline/fixtures.js'));
const { renderTimelineFile } = require(path.join(ROOT, 'out/src/core/timeline/html-file.js'));
const { layoutTimeline } = require(path.join(ROOT, 'out/src/core/timeline/layout.js'));
const { renderTimelineBody } = require(path.join(ROOT, 'out/src/core/timeline/render.js'));
const args = parseArgs(process.argv.slice(2));
const outDir = path.resolve(args.out || path.join(ROOT, 'test-results'));
fs.mkdirSync(outDir, { recursive: true });

const script = fs.readFileSync(path.join(ROOT, 'dist', 'timeline-view.js'), 'utf8');
const file = path.join(outDir, 'timeline-page.html');
fs.writeFileSync(file, renderTimelineFile(crossCloudRun({ iterations: 30, failIteration: 20 }), script));

let browser, ok = false;
try {
  browser = await launchBrowser({ chromium: args.chromium });
  const context = await browser.newContext({ viewport: { width: 1300, height: 800 } });
  const requests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`file://${file}`);
  await page.locator('.tl-row[data-row]').first().waitFor();

  const visible = async () => (await page.locator('.tl-row[data-row]:not([hidden]) .tl-name').allInnerTexts()).map((s) => s.trim());
  let rows = await visible();
  assert.ok(rows.includes('12 more iterations') && rows.includes('iteration 20') && !rows.includes('iteration 8'), `folded at first: ${rows.join(', ')}`);

  // Unfold the "more" row, then fold the execution: its rows go, the hops stay between shown rows.
  const more = page.locator('.tl-row.k-more');
  await more.locator('.tl-twisty').click();
  rows = await visible();
  assert.ok(rows.includes('iteration 8') && rows.includes('iteration 19'), 'the folded iterations are shown');
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  const exec = page.locator('.tl-row.k-run', { hasText: 'Execution Retrain' });
  await exec.locator('.tl-twisty').click();
  rows = await visible();
  assert.ok(!rows.includes('Validate') && !rows.includes('iteration 8'), 'folding the execution hides its rows');
  assert.equal(await page.locator('line.hop').count(), 2, 'both hops are still drawn');
  await exec.locator('.tl-twisty').click();

  // Zoom: the track doubles and the ruler gets finer.
  const ticksBefore = await page.locator('.tl-ticks text').count();
  const widthBefore = await page.locator('.tl-ruler .tl-track').evaluate((e) => e.getBoundingClientRect().width);
  await page.locator('[data-zoom="in"]').click();
  const widthAfter = await page.locator('.tl-ruler .tl-track').evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(Math.abs(widthAfter - 2 * widthBefore) < 2, `zoom in doubles the track (${widthBefore} → ${widthAfter})`);
  assert.ok((await page.locator('.tl-ticks text').count()) > ticksBefore, 'the ruler has more ticks');
  await page.locator('[data-zoom="fit"]').click();

  // Keyboard: the first bar, then right within its row, then down to the next row.
  await page.locator('g.bar[tabindex]').first().focus();
  await page.keyboard.press('ArrowDown');
  assert.match(await page.locator('g.bar:focus').getAttribute('aria-label'), /^CopyToCurated: Data Factory activity/);
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#tl-tip').isVisible(), true, 'Enter shows the card in the file (no editor to reveal in)');

  // A live update (what the webview receives): the new picture, the folding kept.
  const live = renderTimelineBody(layoutTimeline(crossCloudRun({ iterations: 30, live: true })));
  await page.evaluate((html) => window.postMessage({ type: 'update', html }, '*'), live);
  await page.locator('.tl-status.st-running').waitFor({ timeout: 5000 });
  rows = await visible();
  assert.ok(rows.includes('TrainModel'), 'the update brought the running state');
  assert.ok(rows.includes('iteration 12'), `the "more" row stayed unfolded: ${rows.slice(0, 40).join(', ')}`);

  await page.screenshot({ path: path.join(outDir, 'timeline-page.png'), fullPage: false });
  assert.deepEqual(requests, [], 'nothing requested from the network');
  assert.deepEqual(problems, [], 'no script error, no CSP violation');
  ok = true;
} catch (e) {
  log('FAILED:', (e && e.stack) || e);
} finally {
  try { if (browser) await browser.close(); } catch {}
  log(`timeline page ${ok ? 'PASSED' : 'FAILED'}`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}
